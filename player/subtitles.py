"""Read SRT and WebVTT subtitle files into cues, whatever their text encoding.

Chinese subtitle files are often GB18030/GBK rather than UTF-8, so the encoding is
taken from a BOM, else UTF-8 if the bytes decode, else GB18030. Parsing is pysubs2's.
"""

from __future__ import annotations

import logging
import re
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


_TIMING = re.compile(r"^\s*(\d+:)?\d{1,2}:\d{2}[.,]\d{3}\s*-->\s*(\d+:)?\d{1,2}:\d{2}[.,]\d{3}")
_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")


def _drop_malformed_blocks(text: str) -> str:
    """Keep headers, notes, styles and blocks with a timing line; warn about the rest.

    pysubs2 would otherwise fold a block with a broken timing line into the cue before
    it, showing the broken line as subtitle text.
    """
    kept = []
    for n, block in enumerate(_BLOCK_SPLIT.split(text.replace("\r\n", "\n").replace("\r", "\n"))):
        lines = block.strip("\n").split("\n")
        head = lines[0].strip()
        if not head:
            continue
        timed = any(_TIMING.match(line) for line in lines[:2])
        header = n == 0 and head.startswith("WEBVTT") or head.startswith(("NOTE", "STYLE", "REGION"))
        if timed or header:
            kept.append(block.strip("\n"))
        else:
            log.warning("Skipping a malformed subtitle cue: %r", block.strip()[:60])
    return "\n\n".join(kept) + "\n"


def parse_cues(text: str, format_hint: str | None = None) -> list[Cue]:
    """Cues in start order. Malformed cues are skipped with a warning, never raised."""
    fmt = {"srt": "srt", "vtt": "vtt"}.get((format_hint or "").lower())
    text = _drop_malformed_blocks(text)
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
