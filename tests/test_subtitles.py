"""Subtitle files in the encodings lecture publishers actually use."""

from __future__ import annotations

import logging

import pytest

from player.subtitles import Cue, decode_subtitle_bytes, parse_cues, read_cues

EXPECTED = [
    Cue(1.0, 2.5, "月亮 The Moon"),
    Cue(3.0, 4.25, "行星绕太阳转 Planets orbit the Sun"),
]

SRT = """1
00:00:01,000 --> 00:00:02,500
月亮 The Moon

2
00:00:03,000 --> 00:00:04,250
行星绕太阳转 Planets orbit the Sun
"""

VTT = """WEBVTT

00:00:01.000 --> 00:00:02.500
月亮 The Moon

00:00:03.000 --> 00:00:04.250
行星绕太阳转 Planets orbit the Sun
"""

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "utf-16-le-bom": lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
    "gb18030": lambda text: text.encode("gb18030"),
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize(("suffix", "text"), [("srt", SRT), ("vtt", VTT)])
def test_every_encoding_gives_the_same_cues(tmp_path, encoding, suffix, text):
    path = tmp_path / f"lecture.zh.{suffix}"
    path.write_bytes(ENCODINGS[encoding](text))
    assert read_cues(path) == EXPECTED


def test_gb18030_is_not_mistaken_for_utf8():
    assert decode_subtitle_bytes("行星".encode("gb18030")) == "行星"


def test_malformed_cue_is_skipped_with_a_warning(tmp_path, caplog):
    broken = SRT.replace("00:00:03,000 --> 00:00:04,250", "00:00:0x,000 --> banana")
    broken += "\n3\n00:00:05,000 --> 00:00:06,000\nStill here\n"
    path = tmp_path / "broken.srt"
    path.write_text(broken, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="player.subtitles"):
        cues = read_cues(path)
    assert cues[0] == EXPECTED[0]
    assert Cue(5.0, 6.0, "Still here") in cues
    assert all("banana" not in cue.text for cue in cues)
    assert any(r.levelno == logging.WARNING for r in caplog.records)


def test_cue_ending_before_it_starts_is_skipped(caplog):
    text = SRT.replace("00:00:03,000 --> 00:00:04,250", "00:00:04,250 --> 00:00:03,000")
    with caplog.at_level(logging.WARNING, logger="player.subtitles"):
        assert parse_cues(text, "srt") == [EXPECTED[0]]


@pytest.mark.parametrize("data", [b"", b"\x00\xff\xfe garbage \x81\x30", bytes(range(256)) * 4])
@pytest.mark.parametrize("suffix", ["srt", "vtt"])
def test_empty_or_garbage_gives_no_cues(tmp_path, data, suffix):
    path = tmp_path / f"junk.{suffix}"
    path.write_bytes(data)
    assert read_cues(path) == []
