"""Showing a sync's events: a live bar on a terminal, lines otherwise, JSON for scripts."""

from __future__ import annotations

import json
import sys
import time
from typing import TextIO

from player.sizes import human_size


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class JsonLines:
    """One JSON object per event and line, flushed at once, for scripts and timers."""

    def __init__(self, out: TextIO | None = None) -> None:
        # Looked up per call, not at import: sys.stdout may have been replaced since.
        self.out = out or sys.stdout

    def __call__(self, name: str, info: dict) -> None:
        self.out.write(json.dumps({"event": name, **info}, ensure_ascii=False) + "\n")
        self.out.flush()

    def close(self) -> None:
        pass


class Console:
    """Plain lines per file; on a terminal, one live line with the bar, speed and ETA."""

    def __init__(self, out: TextIO | None = None, *, live: bool | None = None) -> None:
        self.out = out or sys.stdout
        self.live = self.out.isatty() if live is None else live
        self.files_total = 0
        self.files_done = 0
        self.current: dict[str, str] = {}
        self._line = ""

    def _print(self, text: str) -> None:
        self._clear()
        self.out.write(text + "\n")
        self.out.flush()

    def _clear(self) -> None:
        if self.live and self._line:
            self.out.write("\r" + " " * len(self._line) + "\r")
            self._line = ""

    def __call__(self, name: str, info: dict) -> None:
        if name == "source":
            if "error" in info:
                self._print(f"{info['source_id']}: catalog not refreshed: {info['error']}")
            elif not info.get("unchanged"):
                self._print(
                    f"{info['source_id']}: version {info['version']}: {info.get('added', 0)} new, "
                    f"{info.get('changed', 0)} changed, {info.get('withdrawn', 0)} withdrawn lectures"
                )
        elif name == "plan":
            self.files_total = len(info.get("files", [])) if isinstance(info.get("files"), list) else 0
        elif name == "waiting":
            self._print(f"Waiting for the sync window, which opens at {info['until']}.")
        elif name == "file_started":
            self.current[info["sha256"]] = info["name"]
        elif name == "file_done":
            self.current.pop(info["sha256"], None)
            self.files_done += 1
            if not self.live:
                self._print(f"done    {info['name']} ({human_size(info['size'])})")
        elif name == "file_failed":
            self.current.pop(info["sha256"], None)
            self._print(f"FAILED  {info['name']}: {info['reason']}")
        elif name == "bytes" and self.live:
            self._bar(info)
        elif name == "finished":
            self._clear()

    def _bar(self, info: dict) -> None:
        done, total, rate = info["done"], max(info["total"], 1), info["rate"]
        fraction = min(done / total, 1.0)
        filled = int(fraction * 24)
        eta = _duration((total - done) / rate) if rate > 0 else "--:--"
        files = "  ".join(
            f"{self.current.get(f['sha256'], '?').rsplit('/', 1)[-1][:24]} {f['done'] / max(f['size'], 1):.0%}"
            for f in info.get("files", [])
        )
        line = (
            f"[{'#' * filled}{'.' * (24 - filled)}] {fraction:4.0%} {human_size(done)}/{human_size(total)} "
            f"{human_size(rate)}/s ETA {eta}  {files}"
        )
        self._clear()
        self.out.write(line)
        self.out.flush()
        self._line = line

    def close(self) -> None:
        self._clear()


def started() -> float:
    return time.monotonic()
