"""The Qt half of `lecture-player --self-test` (see `player.selftest`): translations, playback."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEventLoop,
    QLibraryInfo,
    QLocale,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtMultimedia import QMediaDevices

from player.resources import resource_path
from player.selftest import REINSTALL, CheckFailed

TRANSLATIONS_PREFIX = "lecture-player"  # as in player.ui.app, which this test avoids importing for speed
# A string of ours and one of Qt's, each with its known Chinese translation.
KNOWN = ("MainWindow", "Lecture Player", "讲座播放器")
QT_KNOWN = ("QPlatformTheme", "Cancel")
PLAY_SECONDS = 1.0
PLAY_TIMEOUT_MS = 15_000


def application() -> QCoreApplication:
    existing = QCoreApplication.instance()
    return existing if existing is not None else QGuiApplication(sys.argv[:1])


def check_translations() -> str:
    """Our zh_CN translation and Qt's own load and translate a known string."""
    application()
    zh = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    ours = QTranslator()
    folder = resource_path("translations")
    if not ours.load(zh, TRANSLATIONS_PREFIX, "_", str(folder)):
        raise CheckFailed(f"The Chinese translation is missing from {folder}. {REINSTALL}")
    context, source, expected = KNOWN
    got = ours.translate(context, source)
    if got != expected:
        raise CheckFailed(f"The Chinese translation is damaged: {source!r} gave {got!r}. {REINSTALL}")
    qt = QTranslator()
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not qt.load(zh, "qtbase", "_", qt_folder) or not qt.translate(*QT_KNOWN):
        raise CheckFailed(
            f"Qt's own Chinese translation (qtbase_zh_CN.qm) is missing from {qt_folder}. {REINSTALL}"
        )
    return f"zh_CN: {source!r} → {got!r}"


def new_player():
    """The player the playback check uses, made early: loading Qt's media plugin takes a while."""
    from player.ui.player import Player

    application()
    player = Player()
    player.set_muted(True)  # a machine check should not make noise in a classroom
    return player


def check_playback(player, video: Path) -> str:
    """Play `video` through QMediaPlayer until its first frame and one second have passed.

    The player is left playing (muted): stopping it from Python can deadlock against Qt's
    audio thread (see the note in player.ui.player), so the self-test ends its process
    without tearing Qt down instead (`player.selftest.run_self_test`).
    """
    return _play(player, video)


def _play(player, video: Path) -> str:
    failures: list[str] = []
    frames: list[bool] = []
    player.failed.connect(failures.append)
    player.first_frame.connect(lambda: frames.append(True))
    loop = QEventLoop()
    clock = QElapsedTimer()

    def done() -> bool:
        return bool(failures) or (bool(frames) and player.position() >= PLAY_SECONDS)

    def check() -> None:
        if done() or clock.elapsed() > PLAY_TIMEOUT_MS:
            loop.quit()

    # Signals end the wait as soon as something happens; the timer only bounds it.
    player.failed.connect(check)
    player.position_changed.connect(check)
    player.first_frame.connect(check)
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(check)
    clock.start()
    timer.start()
    player.open(video)
    player.play()
    if not done():
        loop.exec()
    timer.stop()
    if failures:
        raise CheckFailed(
            f"Qt cannot play the sample video: {failures[0]} "
            "The media plugin (FFmpeg) may be missing from the install; reinstall Lecture Player."
        )
    if not frames:
        raise CheckFailed(
            f"No video frame came out of the sample within {PLAY_TIMEOUT_MS / 1000:.0f} s. "
            "Qt's FFmpeg media plugin may be missing or blocked; reinstall Lecture Player."
        )
    if player.position() < PLAY_SECONDS:
        raise CheckFailed(
            f"Playback stalled at {player.position():.1f} s of the sample. "
            "The machine may be too busy; close other programs and run the self-test again."
        )
    detail = f"{player.position():.1f} s of a sample lecture ({video.suffix[1:]})"
    if QMediaDevices.defaultAudioOutput().isNull():
        # Not a failure (a server room has no speakers), but worth knowing in a classroom.
        detail += "; no audio device found, so there will be no sound"
    return detail
