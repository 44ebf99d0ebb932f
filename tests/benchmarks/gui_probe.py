"""A child process for the GUI benchmarks: start the app on a library, measure, print JSON.

Run as `python -m tests.benchmarks.gui_probe MODE LIBRARY [LECTURE_PK]`:
  ready  print "ready" once the home screen is shown and populated, then exit;
  warm   time click-to-first-frame, search keystrokes and memory, print one JSON object.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    mode, library = sys.argv[1], Path(sys.argv[2])
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QLocale, QTimer

    from player.ui.app import Launcher, apply_language, create_application

    app = create_application()
    apply_language(app, QLocale("en"))
    launcher = Launcher(library, install_sample=False)
    window = launcher.window
    home = window.home_page

    def wait(predicate, timeout_ms: int = 30_000) -> None:
        # An event loop that checks every 2 ms and sleeps in between: a busy loop here
        # would take the interpreter lock from the app's own threads and slow them.
        if predicate():
            return
        loop = QEventLoop()
        clock = QElapsedTimer()
        clock.start()
        timer = QTimer()
        timer.setInterval(2)

        def check() -> None:
            if predicate() or clock.elapsed() > timeout_ms:
                loop.quit()

        timer.timeout.connect(check)
        timer.start()
        loop.exec()
        timer.stop()
        if not predicate():
            raise TimeoutError("The app did not get there in time.")

    launcher.start()
    wait(lambda: window.pages.currentWidget() is home and home.is_populated())
    if mode == "ready":
        print("ready", flush=True)
        launcher.shutdown()
        return 0

    lecture_pk = int(sys.argv[3])
    figures: dict[str, object] = {}
    player = window.player_view.player
    first_frames = []
    arrived: list[float] = []
    player.first_frame.connect(lambda: arrived.append(time.perf_counter()))
    for _ in range(7):
        arrived.clear()
        start = time.perf_counter()
        window.open_lecture(lecture_pk, 0.0)
        wait(lambda: bool(arrived))
        first_frames.append((arrived[0] - start) * 1000)
        if len(first_frames) == 7:
            break
        window.player_view.go_back()
        wait(lambda: window.pages.currentWidget() is home)
    figures["first_frame_ms"] = round(statistics.median(first_frames), 1)
    # Let it play for a moment, with the big library open: the app's working memory.
    played = QTimer()
    played.setSingleShot(True)
    played.start(2000)
    wait(lambda: not played.isActive())
    figures["rss_playing_mb"] = round(_rss_mb(), 1)
    window.player_view.go_back()
    wait(lambda: window.pages.currentWidget() is home)

    keystrokes = []
    for word in ("quantum", "量子", "Wang Wei", "crystal"):
        home.search_box.clear()
        for i in range(1, len(word) + 1):
            start = time.perf_counter()
            home.search_box.setText(word[:i])
            wait(lambda text=word[:i]: home.shown_query == text)
            keystrokes.append((time.perf_counter() - start) * 1000)
    keystrokes.sort()
    figures["search_keystroke_median_ms"] = round(statistics.median(keystrokes), 1)
    figures["search_keystroke_p95_ms"] = round(keystrokes[int(0.95 * (len(keystrokes) - 1))], 1)
    print(json.dumps(figures), flush=True)
    launcher.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
