"""Play one lecture: a small facade over QMediaPlayer with our own signals.

The rest of the GUI sees seconds (not milliseconds), three plain states, and failures
as sentences a user can act on. Qt's FFmpeg backend fails silently on some codecs (it
opens the file, "plays", and never delivers a frame), so a watchdog turns a missing
first frame into a failure instead of a black rectangle.

Frames go through a sink of our own and are passed on to each video widget shown (one,
or two in presenter mode). Subtitle text from tracks inside the video file is taken off
the frames on the way and emitted as `subtitle_text`, so the screen draws it in its own
overlay (with the large-font option) instead of QVideoWidget's small built-in text.

A known hazard of PySide with Qt's FFmpeg backend (seen as a rare hang in tests): Qt's
audio renderer connects to signals of objects made in Python (most likely our
QAudioOutput). When the renderer deletes one of its objects in its own thread (on a speed
change, a seek, stop), Qt calls a virtual of that Python-made object (disconnectNotify)
while holding a signal lock, and PySide needs the GIL to look for a Python override. If the GUI thread, holding the GIL, emits from or connects to
the same object at that moment (set_volume right after set_speed, QMediaPlayer.stop()),
each waits for the other. No Qt call here can release the GIL; keep such calls few. A
machine without an audio device gets no audio renderer at all (see `_attach_audio`), so
it never meets this.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtMultimedia import (
    QAudioOutput,
    QMediaDevices,
    QMediaFormat,
    QMediaMetaData,
    QMediaPlayer,
    QVideoFrame,
    QVideoSink,
)
from PySide6.QtMultimediaWidgets import QVideoWidget

log = logging.getLogger(__name__)

MIN_SPEED = 0.5
MAX_SPEED = 2.0
DEFAULT_FRAME_TIMEOUT_MS = 3000

MISSING_MESSAGE = "The video file is missing. Run `lecture-player verify --repair`, then sync."
DAMAGED_MESSAGE = (
    "The video file is damaged. Run `lecture-player verify --repair`, then sync to download it again."
)
CANNOT_PLAY_PREFIX = "This computer cannot play this format"
CANNOT_PLAY_ADVICE = "Ask the publisher for an H.264 or HEVC version of this lecture."
DENIED_MESSAGE = (
    "The video file cannot be read: permission denied. Check the permissions of the library folder."
)

# Containers our catalogs use: if FFmpeg cannot even open one of these, the file is
# broken (usually a cut-off download), not of a kind this computer lacks.
KNOWN_CONTAINERS = frozenset({".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi"})


def cannot_play_message(detail: str = "") -> str:
    what = f" ({detail})" if detail else ""
    return f"{CANNOT_PLAY_PREFIX}{what}. {CANNOT_PLAY_ADVICE}"


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


class Player(QObject):
    """One media player, one audio output, one video sink; see the module docstring."""

    position_changed = Signal(float)
    duration_changed = Signal(float)
    state_changed = Signal(str)
    failed = Signal(str)
    first_frame = Signal()
    media_ended = Signal()
    subtitle_text = Signal(str)  # from the active track inside the video file
    subtitle_tracks_changed = Signal(list)  # language codes of those tracks ("" unknown)

    def __init__(
        self,
        video: QVideoSink | QVideoWidget | None = None,
        parent: QObject | None = None,
        *,
        frame_timeout_ms: int = DEFAULT_FRAME_TIMEOUT_MS,
    ) -> None:
        super().__init__(parent)
        self._player = QMediaPlayer(self)
        self._audio = QAudioOutput(self)
        # Sound goes out only where there is a device to play it. Without one the audio
        # renderer would work for nothing, and its thread is the one side of the hang
        # described above: a machine without sound (a server, CI) never meets it.
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._attach_audio)
        self._attach_audio()
        self._outputs: list[QVideoSink] = []
        if isinstance(video, QVideoWidget):
            self._sink = QVideoSink(self)
            self._outputs.append(video.videoSink())
        else:
            self._sink = video if video is not None else QVideoSink(self)
        self._player.setVideoOutput(self._sink)
        self._sink.videoFrameChanged.connect(self._on_frame)
        self._sink.subtitleTextChanged.connect(self.subtitle_text)
        self._player.tracksChanged.connect(self._on_tracks)

        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(frame_timeout_ms)
        self._watchdog.timeout.connect(self._on_no_frame)

        self._path: Path | None = None
        self._pending_start = 0.0
        self._got_frame = False
        self._has_failed = False
        self._loaded = False
        self._state = "stopped"

        self._player.positionChanged.connect(self._on_position)
        self._player.durationChanged.connect(self._on_duration)
        self._player.playbackStateChanged.connect(self._on_state)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)

    def _attach_audio(self) -> None:
        if self._player.audioOutput() is None and QMediaDevices.audioOutputs():
            self._player.setAudioOutput(self._audio)

    @property
    def has_sound(self) -> bool:
        """Whether an audio device plays this player's sound (volume and mute apply either way)."""
        return self._player.audioOutput() is not None

    # -- commands ---------------------------------------------------------------------

    def open(self, path: Path, start: float = 0.0) -> None:
        """Load `path`, paused at `start` seconds; a missing file fails at once."""
        self._watchdog.stop()
        self._player.stop()
        self._path = Path(path)
        self._pending_start = max(0.0, start)
        self._got_frame = False
        self._has_failed = False
        self._loaded = False
        if not self._path.is_file():
            self._player.setSource(QUrl())
            self._fail(MISSING_MESSAGE)
            return
        self._player.setSource(QUrl.fromLocalFile(str(self._path.resolve())))

    def play(self) -> None:
        if self._path is None or self._has_failed:
            return
        self._player.play()
        if not self._got_frame:
            self._watchdog.start()

    def pause(self) -> None:
        self._player.pause()

    def toggle(self) -> None:
        if self._state == "playing":
            self.pause()
        else:
            self.play()

    def stop(self) -> None:
        self._watchdog.stop()
        self._player.stop()

    def seek(self, seconds: float) -> None:
        limit = self.duration()
        target = max(0.0, seconds)
        if limit > 0:
            target = min(target, limit)
        self._player.setPosition(round(target * 1000))

    def skip(self, delta: float) -> None:
        self.seek(self.position() + delta)

    def set_speed(self, rate: float) -> None:
        """Play at `rate` (clamped to 0.5–2.0), keeping the voice's pitch where possible."""
        if (
            not self._player.pitchCompensation()
            and self._player.pitchCompensationAvailability()
            == QMediaPlayer.PitchCompensationAvailability.Available
        ):
            # On by default with FFmpeg; switching it needlessly rebuilds the audio
            # renderer, the risky moment described in the module docstring.
            self._player.setPitchCompensation(True)
        self._player.setPlaybackRate(_clamp(rate, MIN_SPEED, MAX_SPEED))

    def set_subtitle_track(self, index: int) -> None:
        """Show the embedded subtitle track `index` of `subtitle_tracks()`; -1 for none."""
        if index >= len(self._player.subtitleTracks()):
            index = -1
        if index == self._player.activeSubtitleTrack():
            return
        self._player.setActiveSubtitleTrack(index)
        if index >= 0 and self._loaded:
            # Qt's FFmpeg backend delivers no text for a track chosen after a seek until
            # the next seek; seeking to where we are makes it start at once.
            self._player.setPosition(self._player.position())

    def add_output(self, widget: QVideoWidget) -> None:
        """Show the picture in `widget` too (a second screen), starting with the current frame."""
        sink = widget.videoSink()
        if sink not in self._outputs:
            self._outputs.append(sink)
            sink.setVideoFrame(self._sink.videoFrame())

    def remove_output(self, widget: QVideoWidget) -> None:
        sink = widget.videoSink()
        if sink in self._outputs:
            self._outputs.remove(sink)

    def set_volume(self, volume: float) -> None:
        self._audio.setVolume(_clamp(volume, 0.0, 1.0))

    def set_muted(self, muted: bool) -> None:
        self._audio.setMuted(muted)

    # -- queries ----------------------------------------------------------------------

    def position(self) -> float:
        return self._player.position() / 1000

    def duration(self) -> float:
        return self._player.duration() / 1000

    def speed(self) -> float:
        return self._player.playbackRate()

    def volume(self) -> float:
        return self._audio.volume()

    def is_muted(self) -> bool:
        return self._audio.isMuted()

    def subtitle_tracks(self) -> list[str]:
        """Language codes (ISO 639-1 where known, "" otherwise) of the embedded subtitle tracks."""
        codes = []
        for meta in self._player.subtitleTracks():
            language = meta.value(QMediaMetaData.Key.Language)
            code = ""
            if isinstance(language, QLocale.Language) and language not in (
                QLocale.Language.AnyLanguage,
                QLocale.Language.C,
            ):
                code = QLocale.languageToCode(language, QLocale.LanguageCodeType.ISO639Part1) or (
                    QLocale.languageToCode(language)
                )
            codes.append(code)
        return codes

    def subtitle_track(self) -> int:
        return self._player.activeSubtitleTrack()

    def state(self) -> str:
        return self._state

    def has_frame(self) -> bool:
        return self._got_frame

    # -- Qt's side --------------------------------------------------------------------

    def _fail(self, message: str) -> None:
        if self._has_failed:
            return  # one clear message per file, not a cascade of Qt's follow-ups
        self._has_failed = True
        self._watchdog.stop()
        log.warning("Cannot play %s: %s", self._path, message)
        self._player.stop()
        self.failed.emit(message)

    def _codec_detail(self) -> str:
        codec = self._player.metaData().value(QMediaMetaData.Key.VideoCodec)
        if isinstance(codec, QMediaFormat.VideoCodec) and codec != QMediaFormat.VideoCodec.Unspecified:
            return f"{QMediaFormat.videoCodecName(codec)} video"
        return self._path.suffix.lstrip(".").upper() + " file" if self._path else ""

    def _on_position(self, ms: int) -> None:
        self.position_changed.emit(ms / 1000)

    def _on_duration(self, ms: int) -> None:
        self.duration_changed.emit(ms / 1000)

    @Slot()
    def _on_tracks(self) -> None:
        self.subtitle_tracks_changed.emit(self.subtitle_tracks())

    @Slot(QVideoFrame)
    def _on_frame(self, frame: QVideoFrame) -> None:
        if frame.subtitleText():
            # Our overlay shows it (see the module docstring); drawn twice otherwise.
            frame.setSubtitleText("")
        for output in self._outputs:
            output.setVideoFrame(frame)
        if self._got_frame or not frame.isValid() or self._path is None:
            return
        self._got_frame = True
        self._watchdog.stop()
        self.first_frame.emit()

    def _frames_missing(self) -> bool:
        if self._got_frame or self._has_failed:
            return False
        # An audio-only lecture has no frame to wait for.
        return self._player.hasVideo() or bool(self._player.videoTracks())

    @Slot()
    def _on_no_frame(self) -> None:
        if self._frames_missing():
            self._fail(cannot_play_message(self._codec_detail()))

    @Slot(QMediaPlayer.PlaybackState)
    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        name = {
            QMediaPlayer.PlaybackState.PlayingState: "playing",
            QMediaPlayer.PlaybackState.PausedState: "paused",
        }.get(state, "stopped")
        if name != "playing":
            # Paused before the first frame is not a failure; the clock restarts on play.
            self._watchdog.stop()
        if name != self._state:
            self._state = name
            self.state_changed.emit(name)

    @Slot(QMediaPlayer.MediaStatus)
    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.LoadedMedia:
            self._loaded = True
            if self._pending_start > 0:
                self._player.setPosition(round(self._pending_start * 1000))
                self._pending_start = 0.0
        elif status == QMediaPlayer.MediaStatus.EndOfMedia:
            # A short file in an undecodable codec "plays" to its end before the
            # watchdog fires; reaching the end without a single frame is that failure.
            if self._frames_missing():
                self._fail(cannot_play_message(self._codec_detail()))
                return
            self._watchdog.stop()
            self.media_ended.emit()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._fail(DAMAGED_MESSAGE)

    @Slot(QMediaPlayer.Error, str)
    def _on_error(self, error: QMediaPlayer.Error, detail: str) -> None:
        if error == QMediaPlayer.Error.NoError:
            return
        log.info("Qt media error %s: %s", error, detail)
        if self._path is not None and not self._path.is_file():
            self._fail(MISSING_MESSAGE)
        elif error == QMediaPlayer.Error.FormatError:
            unopened = not self._loaded and self._path is not None
            if unopened and self._path.suffix.lower() in KNOWN_CONTAINERS:
                self._fail(DAMAGED_MESSAGE)
            else:
                self._fail(cannot_play_message(self._codec_detail()))
        elif error == QMediaPlayer.Error.AccessDeniedError:
            self._fail(DENIED_MESSAGE)
        else:
            self._fail(DAMAGED_MESSAGE)
