"""A SIGKILL while a lecture plays loses at most 5 s of its position (a real app process)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from player.catalog.mirror import CatalogFiles
from player.library import progress_store, queries
from player.library.db import open_library
from player.library.importer import import_catalog
from player.library.kept import keep_series
from tests.conftest import ROOT
from tests.mirrors import one_series_catalog, sha, sync_from_local_mirrors, write_mirror
from tests.videos import make_video

SAVE_EVERY = 5.0  # the promise: no more than this is lost
PLAY_TO = 17.0  # past the 10 s under which no position is worth resuming from

CHILD = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from PySide6.QtCore import QLocale
    from player.ui.app import Launcher, apply_language, create_application

    app = create_application()
    apply_language(app, QLocale("en"))
    launcher = Launcher(Path(sys.argv[1]), install_sample=False)
    window = launcher.window
    launcher.executor.opened.connect(lambda: window.open_lecture(int(sys.argv[2]), 0.0))
    launcher.start()

    def report(seconds):
        print(f"{seconds:.3f}", flush=True)

    window.player_view.player.position_changed.connect(report)
    app.exec()
""")


def test_a_killed_app_loses_at_most_five_seconds_of_position(tmp_path):
    (tmp_path / "media").mkdir()
    video = make_video(tmp_path / "media" / "talk.mp4", seconds=40, fps=10)
    data = video.read_bytes()
    catalog = one_series_catalog([("talk.mp4", sha(data), len(data))])
    catalog["series"][0]["lectures"][0]["duration"] = 40
    mirror = write_mirror(tmp_path / "mirror", catalog, {"talk.mp4": data})
    root = tmp_path / "lib"
    with open_library(root, install_sample=False) as lib:
        import_catalog(lib, CatalogFiles((mirror / "catalog.json").read_bytes(), None), location=str(mirror))
        keep_series(lib, "org.example.big", "big")
        sync_from_local_mirrors(lib)
        lecture = queries.list_lectures(lib, queries.find_series(lib, "big")[0].pk)[0]

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(root), str(lecture.pk)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    played = 0.0
    try:
        for line in child.stdout:
            played = max(played, float(line))
            if played >= PLAY_TO:
                break
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
    assert played >= PLAY_TO, "the lecture never got that far"

    with open_library(root, write=False) as lib:
        saved = progress_store.get_progress(
            lib, progress_store.default_profile_id(lib), lecture.source_id, lecture.id
        )
    assert saved is not None
    # The last position printed may be up to a position tick (about half a second) past
    # the moment of the kill; a second of slack covers that, not the rule.
    assert played - SAVE_EVERY - 1.0 <= saved.position <= played
