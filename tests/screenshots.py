"""Screenshots of every screen, in English and Chinese, for the README.

    xvfb-run -a -s "-screen 0 1280x800x24" python -m tests.screenshots docs/screenshots

(`./dev.sh screenshots` does this.) Each language runs in a child process, because the
language is chosen when the app starts. The library is the built-in sample, with some
progress so that the home screen's rows have something to show.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

LANGS = {"en": "en", "zh_CN": "zh"}
SIZE = (1180, 720)


def _seed_progress(root: Path) -> None:
    from player.library import progress_store
    from player.library.db import open_library
    from player.progress import ProgressUpdate

    with open_library(root) as lib:
        profile = progress_store.default_profile_id(lib)
        for lecture_id, position, completed in (
            ("physics-everyday.01-falling", 10.4, False),
            ("astronomy-first-look.01-moon", 0.0, True),
        ):
            update = ProgressUpdate(
                profile, "org.lecture-player.sample", lecture_id, position, 12.0, 12.0, completed, 1.0, None
            )
            progress_store.save_progress(lib, update)


def shoot(out: Path, lang: str) -> None:
    from PySide6.QtCore import QEventLoop, QLocale, QTimer

    from player.ui.app import Launcher, apply_language, create_application
    from player.ui.models import ItemRole

    app = create_application()
    apply_language(app, QLocale(lang))
    root = Path(tempfile.mkdtemp()) / "library"
    from player.library.db import open_library

    open_library(root).close()  # installs the sample
    _seed_progress(root)
    launcher = Launcher(root, install_sample=False)
    window = launcher.window
    window.resize(*SIZE)

    def wait(predicate, timeout_ms: int = 20_000) -> None:
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(20)
        elapsed = [0]

        def check() -> None:
            elapsed[0] += 20
            if predicate() or elapsed[0] > timeout_ms:
                loop.quit()

        timer.timeout.connect(check)
        timer.start()
        loop.exec()

    def settle(ms: int = 600) -> None:
        # Pictures and fonts arrive a moment after the rows; give them that moment.
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def save(name: str) -> None:
        settle()
        # From the screen, not the widget: video is drawn by the GPU path, which a
        # widget's own grab() does not see.
        frame = window.frameGeometry()
        inner = window.geometry()
        picture = window.screen().grabWindow(0, inner.x(), inner.y(), inner.width(), inner.height())
        if picture.isNull() or frame.isNull():
            picture = window.grab()
        picture.save(str(out / f"{name}-{LANGS[lang]}.png"))

    launcher.start()
    wait(lambda: window.pages.currentWidget() is window.home_page and window.home_page.is_populated())
    save("home")
    window.screen_actions["library"].trigger()
    wait(lambda: window.lecture_model.rowCount() > 0)
    window.lecture_pane.view.selectRow(0)
    save("library")
    window.screen_actions["get"].trigger()
    save("get")
    window.screen_actions["settings"].trigger()
    save("settings")
    window.screen_actions["library"].trigger()
    lecture = window.lecture_model.index(1, 0).data(ItemRole)  # the second lecture of the series
    player = window.player_view.player
    window.open_lecture(lecture.pk, 4.0)
    wait(lambda: player.position() > 4.5)
    player.pause()
    save("player")
    launcher.window.close()
    launcher.shutdown()


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    if len(sys.argv) > 2:
        shoot(out, sys.argv[2])
        return 0
    for lang in LANGS:
        env = {**os.environ, "LECTURE_PLAYER_LANG": lang}
        subprocess.run([sys.executable, "-m", "tests.screenshots", str(out), lang], env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
