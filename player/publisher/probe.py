"""Read a video's duration and picture size with PyAV, without decoding any frame."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from player.errors import BadInput

# Read only the headers: without these, opening a file decodes its first frames, which
# costs more than hashing a small file. The picture size comes from the codec headers.
_HEADERS_ONLY = {"skip_frame": "all", "analyzeduration": "0", "probesize": "32"}


def probe_video(path: Path) -> dict[str, Any]:
    """{"duration": seconds, "height": px, "width": px}; BadInput naming the file if unreadable."""
    try:
        return _probe(path, _HEADERS_ONLY)
    except BadInput:
        # Some files only reveal their size or length once packets are read.
        return _probe(path, None)


def _probe(path: Path, options: dict[str, str] | None) -> dict[str, Any]:
    import av  # imported here: FFmpeg's libraries are slow to load and only building needs them

    try:
        with av.open(str(path), options=options) as container:
            if not container.streams.video:
                raise BadInput(f"{path} has no video stream.", hint="Remove it, or replace it with a video.")
            stream = container.streams.video[0]
            width = stream.codec_context.width
            height = stream.codec_context.height
            duration = _duration(container, stream)
    except BadInput:
        raise
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise BadInput(
            f"Cannot read the video {path}: {exc}.",
            hint="Check that the file is a complete, playable video.",
        ) from None
    if not height or not width:
        raise BadInput(f"Cannot tell the picture size of {path}.", hint="Check that it is a playable video.")
    if not duration or duration <= 0:
        raise BadInput(f"Cannot tell how long {path} is.", hint="Re-mux it (e.g. with ffmpeg -c copy).")
    return {"duration": round(duration, 3), "height": height, "width": width}


def _duration(container: Any, stream: Any) -> float | None:
    if container.duration and container.duration > 0:
        return container.duration / 1_000_000  # AV_TIME_BASE units
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if stream.frames and stream.average_rate:
        return float(stream.frames / stream.average_rate)
    return None
