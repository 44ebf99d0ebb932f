"""Small synthetic videos and pictures, made with PyAV, for tests and the sample library.

Frames are painted row by row from bytes (numpy is not a dependency): diagonal stripes
that drift, a box crossing the picture, a progress bar and the current second in block
digits, so that consecutive frames differ and a player visibly moves.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import av

# 3x5 block digits, one string per row.
_DIGITS = {
    "0": ("111", "101", "101", "101", "111"),
    "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"),
    "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"),
    "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"),
    "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"),
    "9": ("111", "101", "111", "001", "111"),
}
# Chroma (U, V) pairs, so that pictures made with different seeds look different.
_TINTS = ((110, 150), (150, 110), (160, 140), (100, 120), (128, 128), (140, 90))


def _digit_rects(text: str, x: int, y: int, cell: int) -> list[tuple[int, int, int, int]]:
    rects = []
    for n, ch in enumerate(text):
        for r, row in enumerate(_DIGITS.get(ch, ("000",) * 5)):
            for c, bit in enumerate(row):
                if bit == "1":
                    x0 = x + (n * 4 + c) * cell
                    rects.append((x0, y + r * cell, x0 + cell, y + (r + 1) * cell))
    return rects


def _paint(frame: av.VideoFrame, index: int, total: int, fps: float, seed: int) -> None:
    width, height = frame.width, frame.height
    luma = frame.planes[0]
    stride = luma.line_size
    period = 16
    stripe = bytes(70 if (i // (period // 2)) % 2 else 45 for i in range(width + period))
    plane = bytearray(luma.buffer_size)
    for y in range(height):
        off = (y + index) % period
        plane[y * stride : y * stride + width] = stripe[off : off + width]

    box = max(8, height // 5)
    box_x = (index * 3 + seed * 37) % max(1, width - box)
    box_y = (height - box) // 2
    rects = [(box_x, box_y, box_x + box, box_y + box, 220)]
    bar_h = max(2, height // 30)
    done = width * (index + 1) // max(1, total)
    rects.append((0, height - bar_h, done, height, 200))
    cell = max(2, height // 30)
    label = f"{seed % 100}"
    second = f"{int(index / fps)}"
    rects += [(*r, 235) for r in _digit_rects(label, cell * 2, cell * 2, cell)]
    rects += [(*r, 180) for r in _digit_rects(second, width - cell * (4 * len(second) + 2), cell * 2, cell)]
    for x0, y0, x1, y1, value in rects:
        x0, x1 = max(0, x0), min(width, x1)
        if x1 <= x0:
            continue
        fill = bytes([value]) * (x1 - x0)
        for y in range(max(0, y0), min(height, y1)):
            plane[y * stride + x0 : y * stride + x1] = fill
    luma.update(bytes(plane))
    u, v = _TINTS[seed % len(_TINTS)]
    frame.planes[1].update(bytes([u]) * frame.planes[1].buffer_size)
    frame.planes[2].update(bytes([v]) * frame.planes[2].buffer_size)


def _tone(samples: int, rate: int, start: int, hz: float = 440.0) -> bytes:
    return array(
        "f", (0.05 * math.sin(2 * math.pi * hz * (start + i) / rate) for i in range(samples))
    ).tobytes()


def make_video(
    path: str | Path,
    seconds: float = 2.0,
    *,
    codec: str = "h264",
    width: int = 320,
    height: int = 180,
    fps: int = 25,
    container: str | None = None,
    subtitles: Iterable[str] | None = None,
    audio: bool = False,
    seed: int = 0,
    crf: int = 30,
) -> Path:
    """Write a video of `seconds`; return its path.

    `container` is an FFmpeg format name (default: guessed from the suffix).
    `subtitles` names sidecar files to write beside it, as "LANG.EXT" (e.g. "zh.srt",
    "en.vtt"), each with one cue. `audio` adds a quiet 440 Hz tone in AAC.
    """
    path = Path(path)
    total = max(1, round(seconds * fps))
    with av.open(str(path), "w", format=container) as out:
        stream = out.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        if codec in ("h264", "libx264"):
            stream.options = {"crf": str(crf), "preset": "medium", "threads": "1"}
        sound = None
        if audio:
            sound = out.add_stream("aac", rate=22050)
            sound.layout = "mono"
            sound.bit_rate = 24000
        for i in range(total):
            frame = av.VideoFrame(width, height, "yuv420p")
            _paint(frame, i, total, fps, seed)
            frame.pts = i
            frame.time_base = Fraction(1, fps)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
        if sound is not None:
            rate, chunk = 22050, 1024
            for start in range(0, int(seconds * rate), chunk):
                frame = av.AudioFrame(format="fltp", layout="mono", samples=chunk)
                frame.planes[0].update(_tone(chunk, rate, start))
                frame.sample_rate = rate
                frame.pts = start
                frame.time_base = Fraction(1, rate)
                out.mux(sound.encode(frame))
            out.mux(sound.encode(None))
    for name in subtitles or ():
        lang, _, ext = name.rpartition(".")
        write_subtitle(path.with_name(f"{path.stem}.{lang}.{ext}"), [(0.0, min(1.0, seconds), lang)])
    return path


def write_subtitle(path: str | Path, cues: list[tuple[float, float, str]]) -> Path:
    """Write cues (start, end, text) as SRT or WebVTT, chosen by the suffix."""
    path = Path(path)
    vtt = path.suffix.lower() == ".vtt"
    sep = "." if vtt else ","

    def stamp(t: float) -> str:
        ms = round(t * 1000)
        return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"

    blocks = [f"{i}\n{stamp(a)} --> {stamp(b)}\n{text}\n" for i, (a, b, text) in enumerate(cues, 1)]
    path.write_text(("WEBVTT\n\n" if vtt else "") + "\n".join(blocks), encoding="utf-8")
    return path


def make_image(path: str | Path, width: int = 320, height: int = 180, *, seed: int = 0) -> Path:
    """Write a JPEG picture in the style of the videos' first frame."""
    path = Path(path)
    frame = av.VideoFrame(width, height, "yuvj420p")
    _paint(frame, seed * 7, 1, 25, seed)
    encoder = av.CodecContext.create("mjpeg", "w")
    encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuvj420p"
    encoder.time_base = Fraction(1, 25)
    packets = encoder.encode(frame) + encoder.encode(None)
    path.write_bytes(b"".join(bytes(p) for p in packets))
    return path
