"""`verify`: re-hashing the store, reporting damaged and missing files, and re-queueing them."""

from __future__ import annotations

import json
from pathlib import Path

from player.library.db import open_library
from player.library.kept import keep_series
from player.library.sources import add_source
from player.sync.plan import build_plan
from player.sync.queue import pending
from tests.mirrors import base_catalog, run_cli, sha, sync_from_local_mirrors, write_mirror

SRC = "org.example.physics"


def run(capsys, lib_dir: Path, *argv: str) -> tuple[int, str, str]:
    return run_cli(capsys, "--library", str(lib_dir), *argv)


def sync_everything(lib) -> None:
    sync_from_local_mirrors(lib)


def synced_library(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    catalog, files = base_catalog()
    lib_dir = tmp_path / "lib"
    with open_library(lib_dir, install_sample=False) as lib:
        add_source(lib, str(write_mirror(tmp_path / "m", catalog, files)))
        keep_series(lib, SRC, "mechanics")
        keep_series(lib, SRC, "astronomy")
        sync_everything(lib)
    return lib_dir, files


def stored_path(lib_dir: Path, data: bytes, ext: str) -> Path:
    h = sha(data)
    return lib_dir / "media" / h[:2] / f"{h}.{ext}"


def test_a_sound_store_verifies(tmp_path, capsys):
    lib_dir, files = synced_library(tmp_path)
    code, out, _ = run(capsys, lib_dir, "verify")
    assert code == 0
    total = sum(len(files[h]) for h in files if h != "media/stars-720.mp4")
    assert out == f"Checked 5 files ({total / 1000:.1f} KB): all good.\n"


def test_verify_finds_a_flipped_byte_and_a_missing_file_and_repair_requeues_them(tmp_path, capsys):
    lib_dir, files = synced_library(tmp_path)
    damaged = stored_path(lib_dir, files["media/gravity.zh.vtt"], "vtt")
    data = bytearray(damaged.read_bytes())
    data[10] ^= 0x01
    damaged.write_bytes(bytes(data))
    missing = stored_path(lib_dir, files["media/stars.mp4"], "mp4")
    missing.unlink()

    code, out, _ = run(capsys, lib_dir, "verify")
    assert code == 1
    assert f"corrupt  {damaged}  {SRC}/mechanics/gravity (subtitle)" in out
    assert f"missing  {missing}  {SRC}/astronomy/stars (video)" in out
    assert "2 missing or damaged" in out and "verify --repair" in out
    assert damaged.exists()  # without --repair nothing changes

    code, out, _ = run(capsys, lib_dir, "verify", "--repair", "--json")
    assert code == 1  # repair only queues; the files are still missing
    report = json.loads(out)
    assert report["checked"] == 5 and report["requeued"] == 2
    assert {(p["kind"], p["sha256"]) for p in report["problems"]} == {
        ("corrupt", sha(files["media/gravity.zh.vtt"])),
        ("missing", sha(files["media/stars.mp4"])),
    }
    assert report["problems"][0]["used_by"][0]["series_id"] in ("mechanics", "astronomy")
    assert not damaged.exists()  # a same-sized bad copy would pass for the real one

    with open_library(lib_dir) as lib:
        states = dict(lib.db.execute("SELECT href, state FROM media").fetchall())
        assert states["media/gravity.zh.vtt"] == states["media/stars.mp4"] == "queued"
        queued = {e.sha256: e for e in pending(lib)}
        assert set(queued) == {sha(files["media/gravity.zh.vtt"]), sha(files["media/stars.mp4"])}
        assert queued[sha(files["media/stars.mp4"])].candidates[0].href == "media/stars.mp4"
        # The next sync fetches them.
        plan = build_plan(lib, free_bytes=10**15)
        assert {f.sha256 for f in plan.files} == set(queued)
        sync_everything(lib)
    code, out, _ = run(capsys, lib_dir, "verify")
    assert code == 0 and "Checked 5 files" in out
