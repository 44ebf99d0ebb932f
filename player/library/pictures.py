"""Pictures for lectures and series: the catalog's own, else a frame of a stored video.

Finding which file to use is a query (run it on the library thread); taking a frame
out of a video is slow work for any other thread. Frames are cached on disk as
`cache/pictures/<video sha256>.jpg`, so each video is decoded once.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from player.library.db import Library
from player.library.paths import LibraryPaths

log = logging.getLogger(__name__)

FRAME_WIDTH = 320  # cached frames are small: the lists never show them larger
_SEEK_FRACTION = 0.1  # a frame a little way in: the first is often black or a title card
_SEEK_MAX = 30.0  # seconds


@dataclass(frozen=True)
class PictureSource:
    """Where a picture comes from: an image file as it is, or a frame of a video."""

    path: Path
    is_video: bool
    sha256: str


# A stored thumbnail first; else the stored video a sync would choose (wanted, then the
# catalog's order), preferring small renditions since only one frame is needed.
_LECTURE_PICTURE = """SELECT m.role, m.sha256, m.ext FROM media m
    WHERE m.lecture_pk = ? AND m.state = 'present' AND m.role IN ('thumbnail', 'video')
    ORDER BY m.role = 'thumbnail' DESC, m.wanted DESC, coalesce(m.height, 0), m.position LIMIT 1"""


def lecture_picture(lib: Library, lecture_pk: int) -> PictureSource | None:
    """The lecture's stored thumbnail, else its stored video (to take a frame from), else None."""
    row = lib.db.execute(_LECTURE_PICTURE, [lecture_pk]).fetchone()
    if row is None:
        return None
    role, sha, ext = row
    return PictureSource(lib.paths.media_file(sha, ext), role == "video", sha)


def series_picture(lib: Library, series_pk: int) -> PictureSource | None:
    """The series' stored poster, else the picture of its first lecture that has one."""
    row = lib.db.execute(
        """SELECT sha256, ext FROM media WHERE series_pk = ? AND role = 'poster' AND state = 'present'
           ORDER BY position LIMIT 1""",
        [series_pk],
    ).fetchone()
    if row is not None:
        return PictureSource(lib.paths.media_file(row[0], row[1]), False, row[0])
    # Lectures with a present picture file only, so a series of ten thousand online-only
    # lectures costs one indexed query, not ten thousand.
    first = lib.db.execute(
        """SELECT l.pk FROM lectures l WHERE l.series_pk = ? AND l.withdrawn = 0 AND EXISTS (
               SELECT 1 FROM media m WHERE m.lecture_pk = l.pk AND m.state = 'present'
               AND m.role IN ('thumbnail', 'video'))
           ORDER BY l.position LIMIT 1""",
        [series_pk],
    ).fetchone()
    return lecture_picture(lib, first[0]) if first else None


def lecture_pictures(lib: Library, lecture_pks: list[int]) -> dict[int, PictureSource | None]:
    return {pk: lecture_picture(lib, pk) for pk in lecture_pks}


def series_pictures(lib: Library, series_pks: list[int]) -> dict[int, PictureSource | None]:
    return {pk: series_picture(lib, pk) for pk in series_pks}


def frame_path(paths: LibraryPaths, sha256: str) -> Path:
    return paths.pictures / f"{sha256}.jpg"


def picture_file(paths: LibraryPaths, source: PictureSource) -> Path | None:
    """A file holding the picture: the image itself, or the cached frame of the video
    (made now if need be). None if the video cannot be decoded."""
    if not source.is_video:
        return source.path
    cached = frame_path(paths, source.sha256)
    if cached.exists():
        return cached
    try:
        data = video_frame_jpeg(source.path)
    except Exception as exc:  # FFmpeg reports broken files with many error types
        log.warning("No picture could be taken from %s: %s", source.path, exc)
        return None
    if data is None:
        log.warning("No picture could be taken from %s: it has no video frames", source.path)
        return None
    _write_atomically(cached, data)
    return cached


def video_frame_jpeg(video: Path, width: int = FRAME_WIDTH) -> bytes | None:
    """One frame of the video, a little way in, as JPEG bytes `width` wide; None if it has none."""
    import av  # imported here: only the picture threads need FFmpeg

    with av.open(str(video)) as container:
        if not container.streams.video:
            return None
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        seconds = float(container.duration or 0) / 1_000_000
        target = min(seconds * _SEEK_FRACTION, _SEEK_MAX)
        if target > 0 and stream.time_base:
            # Seeks to the keyframe before `target`; close enough for a picture.
            container.seek(int(target / stream.time_base), stream=stream)
        frame = next(container.decode(stream), None)
        if frame is None:
            return None
        height = max(2, round(frame.height * width / max(1, frame.width)) // 2 * 2)
        small = frame.reformat(width=width, height=height, format="yuvj420p")
        encoder = av.CodecContext.create("mjpeg", "w")
        encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuvj420p"
        encoder.time_base = Fraction(1, 25)
        small.pts = None
        packets = encoder.encode(small) + encoder.encode(None)
        data = b"".join(bytes(p) for p in packets)
        return data or None


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers see the whole picture or none: two threads making the same one both succeed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
