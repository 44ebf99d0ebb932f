"""`lecture-player sync` end to end: nginx and local mirrors, exit codes, interruptions."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from player.library.kept import keep_series
from player.library.sources import add_source
from player.sync.engine import SyncEngine, SyncOptions
from player.sync.window import SyncWindow
from tests import nginx
from tests.mirrors import base_catalog, one_series_catalog, sha, write_mirror

ROOT = Path(__file__).resolve().parent.parent
needs_nginx = pytest.mark.skipif(
    not nginx.available(), reason="nginx is not installed (./dev.sh installs it)"
)


def cli(lib: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "player", "--library", str(lib), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


def states(lib_dir: Path) -> dict[str, str]:
    import sqlite3

    with sqlite3.connect(lib_dir / "library.db") as db:
        return dict(db.execute("SELECT href, state FROM media WHERE lecture_pk IS NOT NULL"))


def big_catalog(tmp_path: Path, n: int, size: int) -> tuple[dict, dict[str, bytes]]:
    """One series of `n` lectures whose videos are `size` random bytes each."""
    rng = random.Random(7)
    files = {f"media/v{i}.mp4": rng.randbytes(size) for i in range(n)}
    return one_series_catalog([(href, sha(data), len(data)) for href, data in files.items()]), files


@needs_nginx
def test_sync_from_nginx_stores_verified_files(tmp_path):
    catalog, files = base_catalog()
    write_mirror(tmp_path / "www", catalog, files)
    lib = tmp_path / "lib"
    with nginx.serve(tmp_path / "www", tmp_path / "nginx") as server:
        assert cli(lib, "sources", "add", server.url).returncode == 0
        assert cli(lib, "keep", "mechanics", "astronomy", "--source", "org.example.physics").returncode == 0
        dry = cli(lib, "sync", "--dry-run")
        assert dry.returncode == 0 and "5 files" in dry.stdout
        assert not any("/media/" in line for line in server.log_lines())  # a dry run fetches nothing
        run = cli(lib, "sync", "--json")
        assert run.returncode == 0, run.stderr
    events = [json.loads(line) for line in run.stdout.splitlines()]
    assert events[-1]["event"] == "finished" and events[-1]["files_done"] == 5
    assert {e["event"] for e in events} >= {"plan", "file_started", "file_done", "finished"}
    stored = states(lib)
    assert stored["media/gravity.mp4"] == "present"
    # Only the chosen rendition is fetched: 480p, never the 720p one nobody asked for.
    assert stored["media/stars-720.mp4"] != "present"
    assert "/media/stars-720.mp4" not in " ".join(server.log_lines())
    assert cli(lib, "verify").returncode == 0
    # A second sync has nothing to do and fetches nothing.
    with nginx.serve(tmp_path / "www", tmp_path / "nginx2") as server:
        again = cli(lib, "sync")
        assert again.returncode == 0
        assert not any("/media/" in line for line in server.log_lines())


@needs_nginx
def test_a_missing_file_fails_alone_and_is_listed(tmp_path):
    catalog, files = base_catalog()
    del files["media/light.mp4"]
    write_mirror(tmp_path / "www", catalog, files)
    lib = tmp_path / "lib"
    with nginx.serve(tmp_path / "www", tmp_path / "nginx") as server:
        cli(lib, "sources", "add", server.url)
        cli(lib, "keep", "mechanics", "--source", "org.example.physics")
        run = cli(lib, "sync")
    assert run.returncode == 1
    assert "media/light.mp4" in run.stderr and "404" in run.stderr
    stored = states(lib)
    assert stored["media/gravity.mp4"] == "present"
    assert stored["media/light.mp4"] != "present"


def test_sync_from_a_local_mirror_copies_and_verifies(library, tmp_path):
    catalog, files = base_catalog()
    files["media/light.mp4"] = b"x" * len(files["media/light.mp4"])  # right size, wrong bytes
    write_mirror(tmp_path / "usb", catalog, files)
    add_source(library, str(tmp_path / "usb"))
    keep_series(library, "org.example.physics", "mechanics")
    events = []
    result = SyncEngine(library, SyncOptions(), lambda name, info: events.append(name)).run()
    assert result.files_done == 3
    assert [name for name, _ in result.failed] == ["media/light.mp4"]
    assert "file_failed" in events
    assert not list(library.paths.tmp.glob("*.part"))


def test_plan_that_does_not_fit_is_refused_before_any_download(library, tmp_path):
    from player.sync.plan import PlanTooBig

    catalog, files = base_catalog()
    write_mirror(tmp_path / "m", catalog, files)
    add_source(library, str(tmp_path / "m"))
    keep_series(library, "org.example.physics", "mechanics")
    with pytest.raises(PlanTooBig, match="reserve"):
        SyncEngine(library, SyncOptions(reserve=10**18)).run()
    assert not any(library.paths.media.rglob("*.mp4"))


def test_outside_the_window_exits_with_a_clear_message(library, tmp_path):
    from datetime import datetime, timedelta

    from player.sync.engine import OutsideWindow

    catalog, files = base_catalog()
    write_mirror(tmp_path / "m", catalog, files)
    add_source(library, str(tmp_path / "m"))
    keep_series(library, "org.example.physics", "mechanics")
    later = datetime.now() + timedelta(hours=2)
    window = SyncWindow.parse(f"{later:%H}:00-{(later + timedelta(hours=1)):%H}:00")
    with pytest.raises(OutsideWindow, match="outside those hours"):
        SyncEngine(library, SyncOptions(window=window)).run()
    assert not any(library.paths.media.rglob("*.mp4"))


def test_window_parsing_and_midnight():
    from datetime import datetime

    night = SyncWindow.parse("22:00-06:00")
    assert night.is_open(datetime(2026, 1, 1, 23, 30)) and night.is_open(datetime(2026, 1, 1, 5, 59))
    assert not night.is_open(datetime(2026, 1, 1, 12, 0))
    assert night.next_opening(datetime(2026, 1, 1, 12, 0)) == datetime(2026, 1, 1, 22, 0)
    from player.errors import BadInput

    with pytest.raises(BadInput):
        SyncWindow.parse("25:00-06:00")


@needs_nginx
def test_cancel_keeps_partial_bytes_and_the_next_sync_resumes(library, tmp_path):
    catalog, files = big_catalog(tmp_path, 2, 3_000_000)
    write_mirror(tmp_path / "www", catalog, files)
    with nginx.serve(tmp_path / "www", tmp_path / "nginx") as server:
        add_source(library, server.url)
        keep_series(library, "org.example.big", "big")
        engine = None
        started = threading.Event()

        def on_event(name, info):
            if name == "bytes" and info["done"] > 500_000:
                started.set()
                engine.cancel()

        engine = SyncEngine(library, SyncOptions(max_rate=1_000_000, jobs=1), on_event)
        result = engine.run()
        assert started.is_set() and result.cancelled
        parts = list(library.paths.tmp.glob("*.part"))
        assert parts and all(p.stat().st_size > 0 for p in parts)
        kept = {p.name.split(".")[0]: p.stat().st_size for p in parts}
        result = SyncEngine(library, SyncOptions()).run()
        assert result.files_done == 2 and not result.failed
        media_requests = [line.split() for line in server.log_lines() if "/media/" in line]
    # The interrupted file was resumed from its partial bytes, not fetched again from zero.
    # (nginx's byte counts include what sat unread in socket buffers, so the Range header
    # is what shows the resume.)
    resumed = [r for r in media_requests if r[2] == "206"]
    assert resumed, media_requests
    sha_of = {
        f"/{href}": entry
        for href, entry in (
            (v["href"], v) for s in catalog["series"] for lec in s["lectures"] for v in lec["video"]
        )
    }
    for _method, path, _status, sent, rng in resumed:
        start = int(rng.strip('"').removeprefix("bytes=").rstrip("-"))
        assert start == kept[sha_of[path]["sha256"]]
        assert int(sent) == sha_of[path]["size"] - start
    assert len([r for r in media_requests if r[2] == "200"]) == 2  # each file once from zero, at most
    assert not list(library.paths.tmp.glob("*.part"))


@needs_nginx
def test_sigkill_at_random_moments_always_resumes(tmp_path):
    """20 hard kills of a running sync; every run resumes and every file ends verified."""
    catalog, files = big_catalog(tmp_path, 4, 1_500_000)
    write_mirror(tmp_path / "www", catalog, files)
    lib = tmp_path / "lib"
    rng = random.Random(11)
    with nginx.serve(tmp_path / "www", tmp_path / "nginx") as server:
        assert cli(lib, "sources", "add", server.url).returncode == 0
        assert cli(lib, "keep", "big").returncode == 0
        kills = 0
        while kills < 20:
            proc = subprocess.Popen(
                [sys.executable, "-m", "player", "--library", str(lib), "sync", "--json", "--max-rate", "3M"],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                cwd=ROOT,
            )
            # Kill after a random number of progress events: a moment chosen by the run itself.
            target = rng.randrange(1, 12)
            seen = 0
            for line in proc.stdout:
                if json.loads(line)["event"] in ("bytes", "file_done", "file_started"):
                    seen += 1
                    if seen >= target:
                        os.kill(proc.pid, signal.SIGKILL)
                        kills += 1
                        break
            proc.wait(timeout=60)
            proc.stdout.close()
            if proc.returncode == 0 or kills % 5 == 0:
                # Everything arrived before a kill, or every fifth kill: start over from zero,
                # so the kills keep landing in the middle of files.
                if proc.returncode == 0:
                    assert cli(lib, "verify").returncode == 0
                big = {
                    entry["sha256"] for entry in (lec["video"][0] for lec in catalog["series"][0]["lectures"])
                }
                deleted = [p for p in (lib / "media").rglob("*.mp4") if p.stem in big]
                for stored in deleted:
                    stored.unlink()
                # A file renamed into the store just before a kill may not be recorded yet;
                # verify only re-queues what the library believed present.
                assert cli(lib, "verify", "--repair").returncode in (0, 1)
        final = cli(lib, "sync")
        assert final.returncode == 0, final.stderr
    assert kills == 20
    assert cli(lib, "verify").returncode == 0
    assert set(states(lib).values()) == {"present"}
    assert not list((lib / "tmp").glob("*.part"))


@needs_nginx
def test_disk_filling_up_during_a_sync_ends_cleanly(small_disk, tmp_path):
    """Another program fills the disk after the plan was made: a clear error, an intact
    database, and nothing marked present that is not fully stored."""
    from player.library.db import open_library
    from player.sync.errors import DiskFull

    catalog, files = big_catalog(tmp_path, 3, 1_000_000)
    write_mirror(tmp_path / "www", catalog, files)
    filler = small_disk / "filler"

    def fill_the_disk(name, info):
        if name == "file_started" and not filler.exists():
            with open(filler, "wb", buffering=0) as f:
                try:
                    while True:
                        f.write(b"\0" * 65536)
                except OSError:
                    pass

    with nginx.serve(tmp_path / "www", tmp_path / "nginx") as server:
        with open_library(small_disk / "lib", install_sample=False) as lib:
            add_source(lib, server.url)
            keep_series(lib, "org.example.big", "big")
            with pytest.raises(DiskFull, match="The disk is full"):
                SyncEngine(lib, SyncOptions(reserve=0, jobs=1), fill_the_disk).run()
        filler.unlink()
        with open_library(small_disk / "lib", install_sample=False) as lib:
            assert lib.db.execute("PRAGMA quick_check").fetchone() == ("ok",)
            for sha, state in lib.db.execute("SELECT sha256, state FROM media WHERE role = 'video'"):
                if state == "present":
                    assert lib.paths.media_file(sha, "mp4").stat().st_size == 1_000_000
            # With the space back, the next sync finishes the job.
            result = SyncEngine(lib, SyncOptions(refresh=False, reserve=0)).run()
            assert not result.failed
            assert len(list(lib.paths.media.rglob("*.mp4"))) == 3


@needs_nginx
def test_catalog_refresh_is_a_conditional_get(library, tmp_path):
    from player.sync.catalogs import refresh_sources

    catalog, files = base_catalog()
    write_mirror(tmp_path / "www", catalog, files)
    with nginx.serve(tmp_path / "www", tmp_path / "nginx") as server:
        add_source(library, server.url)
        first = dict(refresh_sources(library))
        second = dict(refresh_sources(library))
        assert first["org.example.physics"]["unchanged"] and second["org.example.physics"]["unchanged"]
        statuses = [line.split()[2] for line in server.log_lines() if line.split()[1] == "/catalog.json"]
        assert statuses == ["200", "200", "304"]  # add, first refresh (learns the ETag), then 304
        catalog["version"] = 2
        catalog["title"] = "Physics, second edition"
        write_mirror(tmp_path / "www", catalog, files)
        third = dict(refresh_sources(library))
        assert third["org.example.physics"]["version"] == 2 and not third["org.example.physics"]["unchanged"]


@needs_nginx
def test_pause_and_resume_from_another_thread(library, tmp_path):
    """What the GUI does: run the engine on a worker thread, pause it, resume it."""
    catalog, files = big_catalog(tmp_path, 2, 2_000_000)
    write_mirror(tmp_path / "www", catalog, files)
    with nginx.serve(tmp_path / "www", tmp_path / "nginx") as server:
        add_source(library, server.url)
        keep_series(library, "org.example.big", "big")
        library.close()  # the worker opens its own connection, as the GUI's does
        from player.library.db import open_library

        moving, paused = threading.Event(), threading.Event()
        engine_box: list[SyncEngine] = []
        outcome: list = []

        def on_event(name, info):
            # Both transfers under way: the first burst of one can come before the other's.
            if name == "bytes" and info["done"] > 300_000 and len(info["files"]) == 2:
                moving.set()
            if name == "paused":
                paused.set()

        def work():
            with open_library(library.paths.root) as lib:
                engine = SyncEngine(lib, SyncOptions(max_rate=1_500_000, jobs=2, refresh=False), on_event)
                engine_box.append(engine)
                outcome.append(engine.run())

        worker = threading.Thread(target=work)
        worker.start()
        assert moving.wait(30)
        engine_box[0].pause()
        assert paused.wait(30)
        # Paused: the transfers have stopped and their partial bytes stay in tmp/.
        parts = list(library.paths.tmp.glob("*.part"))
        assert parts and all(p.stat().st_size > 0 for p in parts)
        assert not list(library.paths.media.glob("*/*.mp4"))
        engine_box[0].resume()
        worker.join(60)
        assert not worker.is_alive()
    result = outcome[0]
    assert result.files_done == 2 and not result.failed and not result.cancelled


def test_a_local_mirror_never_follows_symlinks_out_of_its_root(library, tmp_path):
    catalog, files = base_catalog()
    secret = tmp_path / "outside.mp4"
    secret.write_bytes(files["media/light.mp4"])  # the right bytes, but outside the mirror
    del files["media/light.mp4"]
    write_mirror(tmp_path / "usb", catalog, files)
    (tmp_path / "usb" / "media" / "light.mp4").symlink_to(secret)
    add_source(library, str(tmp_path / "usb"))
    keep_series(library, "org.example.physics", "mechanics")
    result = SyncEngine(library, SyncOptions(refresh=False)).run()
    assert result.files_done == 3
    [(name, reason)] = result.failed
    assert name == "media/light.mp4" and "outside" in reason
    assert not any(p.stat().st_size == secret.stat().st_size for p in library.paths.media.rglob("*.mp4"))
