"""Pause and cancel reach a transfer stuck on a server that stopped sending."""

from __future__ import annotations

import json
import random
import threading

from player.library.kept import keep_series
from player.library.sources import add_source
from player.sync.engine import SyncEngine, SyncOptions
from player.sync.retry import RetryPolicy
from tests.faultserver import FaultServer
from tests.mirrors import one_series_catalog, sha

SIZE = 2_000_000
SENT_BEFORE_STALL = 300_000


def test_cancel_breaks_off_a_stalled_read_and_keeps_the_bytes(library):
    data = random.Random(3).randbytes(SIZE)
    catalog = one_series_catalog([("media/v0.mp4", sha(data), SIZE)])
    with FaultServer() as server:
        server.add_file("/catalog.json", json.dumps(catalog).encode())
        server.add_file("/media/v0.mp4", data)
        # After a first burst the server goes silent: one byte an hour.
        server.set_fault("/media/v0.mp4", "trickle", after=SENT_BEFORE_STALL, rate=1 / 3600, piece=1)
        add_source(library, server.base_url)
        keep_series(library, "org.example.big", "big")
        library.close()
        from player.library.db import open_library

        moving = threading.Event()
        outcome: list = []
        engines: list[SyncEngine] = []

        def on_event(name: str, info: dict) -> None:
            if name == "bytes" and info["done"] > 0:
                moving.set()

        def work() -> None:
            with open_library(library.paths.root) as lib:
                # A read timeout far longer than the test may take: only the interrupt ends it.
                policy = RetryPolicy(read_timeout=600)
                engine = SyncEngine(lib, SyncOptions(jobs=1, refresh=False, policy=policy), on_event)
                engines.append(engine)
                outcome.append(engine.run())

        worker = threading.Thread(target=work)
        worker.start()
        assert moving.wait(30), "no bytes arrived"
        # The server has sent the burst and now waits an hour for the next byte.
        stalled = threading.Event()
        for _ in range(1500):
            if server.bytes_sent("/media/v0.mp4") >= SENT_BEFORE_STALL:
                break
            stalled.wait(0.02)
        assert server.bytes_sent("/media/v0.mp4") >= SENT_BEFORE_STALL
        engines[0].cancel()
        worker.join(30)
        assert not worker.is_alive(), "cancel did not break off the stalled read"
    assert outcome and outcome[0].cancelled
    parts = list(library.paths.tmp.glob("*.part"))
    assert len(parts) == 1 and parts[0].stat().st_size > 0
