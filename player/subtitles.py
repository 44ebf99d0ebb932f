"""Read SRT and WebVTT subtitle files into cues, whatever their text encoding.

Chinese subtitle files are often GB18030/GBK rather than UTF-8, so the encoding is
taken from a BOM, else UTF-8 if the bytes decode, else GB18030. Parsing is pysubs2's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pysubs2

log = logging.getLogger(__name__)

MAX_SUBTITLE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    text: str


def decode_subtitle_bytes(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def parse_cues(text: str, format_hint: str | None = None) -> list[Cue]:
    """Cues in start order. Malformed cues are skipped with a warning, never raised."""
    fmt = {"srt": "srt", "vtt": "vtt"}.get((format_hint or "").lower())
    try:
        subs = pysubs2.SSAFile.from_string(text, format_=fmt)
    except (pysubs2.exceptions.Pysubs2Error, ValueError) as exc:
        log.warning("Cannot read the subtitle file: %s", exc)
        return []
    cues = []
    for event in subs:
        if event.is_comment or event.end <= event.start:
            continue
        plain = event.plaintext.strip()
        if plain:
            cues.append(Cue(event.start / 1000, event.end / 1000, plain))
    cues.sort(key=lambda c: c.start)
    return cues


def read_cues(path: Path) -> list[Cue]:
    data = Path(path).read_bytes()[:MAX_SUBTITLE_BYTES]
    return parse_cues(decode_subtitle_bytes(data), Path(path).suffix.lstrip("."))
