"""One file on the fault server, and where the download engine should put it."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import httpx

from player.sync.download import DownloadResult, Status, download_file
from player.sync.retry import RetryPolicy
from tests.faultserver import FaultServer, sample_bytes

SIZE = 256 * 1024
# Tiny waits so that every retry path runs in milliseconds.
FAST = RetryPolicy(
    max_attempts=4,
    backoff_base=0.01,
    backoff_max=0.05,
    retry_after_cap=5.0,
    connect_timeout=2.0,
    read_timeout=2.0,
    low_speed_time=5.0,
    max_redirects=5,
)


@dataclass
class Case:
    """One file on the fault server, and where the engine should put it."""

    server: FaultServer
    path: str
    data: bytes
    tmp: Path

    @classmethod
    def serve(
        cls, server: FaultServer, tmp: Path, *, path: str = "/f.bin", size: int = SIZE, seed: int = 0, **opts
    ) -> Case:
        data = sample_bytes(size, seed)
        server.add_file(path, data, **opts)
        return cls(server, path, data, tmp)

    @property
    def url(self) -> str:
        return self.server.url(self.path)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def part(self) -> Path:
        return self.tmp / "tmp" / f"{self.sha256}.bin.part"

    @property
    def meta(self) -> Path:
        return self.part.with_name(self.part.name + ".meta")

    @property
    def final(self) -> Path:
        return self.tmp / "media" / self.sha256[:2] / f"{self.sha256}.bin"

    def run(self, client: httpx.Client, **kw) -> DownloadResult:
        kw.setdefault("policy", FAST)
        return download_file(
            client,
            self.url,
            sha256=self.sha256,
            size=self.size,
            part_path=self.part,
            final_path=self.final,
            **kw,
        )

    def seed_part(self, client: httpx.Client, nbytes: int) -> None:
        """Leave exactly `nbytes` in the part file, as an interrupted earlier sync would."""
        if nbytes < self.size:
            self.server.set_fault(self.path, "drop_mid_body", times=1, after=nbytes)
        stop = threading.Event()
        seen = [0]

        def count(n: int) -> None:
            seen[0] += n
            if seen[0] >= nbytes:
                stop.set()

        result = self.run(client, on_bytes=count, cancel=stop)
        assert result.status is Status.CANCELLED
        assert self.part.stat().st_size == nbytes

    def assert_in_place(self, result: DownloadResult) -> None:
        assert result.done and result.path == self.final
        assert self.final.read_bytes() == self.data
        assert not self.part.exists() and not self.meta.exists()

    def assert_nothing_in_place(self) -> None:
        assert not self.final.exists()
