"""How a sync shows its progress: the live bar, plain lines, JSON lines."""

import io
import json

from player.cli.progress import Console, JsonLines

SHA = "ab" * 32


def feed(show):
    show("plan", {"files": []})
    show("file_started", {"sha256": SHA, "name": "media/gravity.mp4", "size": 4_000_000, "have": 0})
    show(
        "bytes",
        {
            "done": 1_000_000,
            "total": 4_000_000,
            "rate": 500_000,
            "files": [{"sha256": SHA, "done": 1_000_000, "size": 4_000_000}],
        },
    )
    show("file_done", {"sha256": SHA, "name": "media/gravity.mp4", "size": 4_000_000})
    show("file_failed", {"sha256": "cd" * 32, "name": "media/light.mp4", "reason": "HTTP 404"})
    show(
        "finished",
        {"files_done": 1, "files_failed": 1, "bytes": 4_000_000, "seconds": 8.0, "cancelled": False},
    )


def test_live_bar_shows_overall_and_per_file_progress_speed_and_eta():
    out = io.StringIO()
    shown = []

    class Spy(io.StringIO):
        def write(self, text):
            shown.append(text)
            return super().write(text)

    out = Spy()
    feed(Console(out, live=True))
    bar = next(text for text in shown if text.startswith("["))
    assert "25%" in bar  # overall
    assert "1.0 MB/4.0 MB" in bar
    assert "500.0 KB/s" in bar
    assert "ETA 0:06" in bar  # 3 MB left at 500 KB/s
    assert "gravity.mp4 25%" in bar  # per file
    assert "FAILED  media/light.mp4: HTTP 404" in out.getvalue()


def test_plain_lines_when_not_a_terminal():
    out = io.StringIO()
    feed(Console(out, live=False))
    lines = out.getvalue().splitlines()
    assert lines == ["done    media/gravity.mp4 (4.0 MB)", "FAILED  media/light.mp4: HTTP 404"]


def test_json_lines_one_object_per_event():
    out = io.StringIO()
    feed(JsonLines(out))
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e["event"] for e in events] == [
        "plan",
        "file_started",
        "bytes",
        "file_done",
        "file_failed",
        "finished",
    ]
    assert events[2]["files"][0]["done"] == 1_000_000
