"""A bundle is a source: `sources add BUNDLE`, and `sync --from BUNDLE` before the network."""

from __future__ import annotations

import json
from pathlib import Path

from tests.faultserver import FaultServer
from tests.mirrors import base_catalog, one_series_catalog, sha, write_mirror
from tests.test_bundle_export import cli, file_sha, physics_library
from tests.test_bundle_import import media_states


def test_sources_add_a_single_source_bundle_then_sync_from_it(tmp_path, keypair):
    lib, _, _, files = physics_library(tmp_path, keypair)
    bundle = tmp_path / "usb" / "bundle"
    assert cli(lib, "export", str(bundle), "--series", "mechanics").returncode == 0

    fresh = tmp_path / "fresh"
    added = cli(fresh, "sources", "add", str(bundle), "--pubkey", keypair[1])
    assert added.returncode == 0, added.stderr
    assert "org.example.physics: imported version 1" in added.stdout
    assert cli(fresh, "keep", "mechanics").returncode == 0
    synced = cli(fresh, "sync")
    assert synced.returncode == 0, synced.stderr
    states = media_states(fresh)
    for href in ("media/gravity.mp4", "media/gravity.en.vtt", "media/gravity.zh.vtt", "media/light.mp4"):
        assert states[href] == "present"
    assert cli(fresh, "verify").returncode == 0


def test_sources_add_a_bundle_of_several_sources_adds_each(tmp_path, keypair):
    from player.library.db import open_library
    from player.library.kept import keep_series
    from player.library.sources import add_source
    from tests.mirrors import sync_from_local_mirrors

    lib, _, _, _ = physics_library(tmp_path, keypair)
    other = write_mirror(
        tmp_path / "other",
        one_series_catalog([("media/x.mp4", sha(b"x" * 500), 500)], "org.example.other"),
        {"media/x.mp4": b"x" * 500},
    )
    with open_library(lib, install_sample=False) as library:
        add_source(library, str(other))
        keep_series(library, "org.example.other", "big")
        sync_from_local_mirrors(library)
    bundle = tmp_path / "bundle"
    assert cli(lib, "export", str(bundle), "--all-kept").returncode == 0

    fresh = tmp_path / "fresh"
    added = cli(fresh, "sources", "add", str(bundle))
    assert added.returncode == 0, added.stderr
    listed = {s["id"]: s["location"] for s in json.loads(cli(fresh, "sources", "list", "--json").stdout)}
    assert listed["org.example.physics"] == str((bundle / "org.example.physics").resolve())
    assert listed["org.example.other"] == str((bundle / "org.example.other").resolve())


def serve_physics(server: FaultServer, mirror: Path, files: dict[str, bytes]) -> str:
    for name in ("catalog.json", "catalog.json.sig"):
        server.add_file(f"/{name}", (mirror / name).read_bytes())
    for href, data in files.items():
        server.add_file(f"/{href}", data)
    return server.base_url


def test_sync_from_a_bundle_uses_its_files_before_the_network(tmp_path, keypair):
    lib, mirror, _, files = physics_library(tmp_path, keypair)
    bundle = tmp_path / "usb" / "bundle"
    assert cli(lib, "export", str(bundle), "--series", "mechanics").returncode == 0
    # The bundle's copy of one file is damaged: that one must come from the network.
    damaged = bundle / "media/light.mp4"
    damaged.write_bytes(b"?" * damaged.stat().st_size)

    with FaultServer() as server:
        url = serve_physics(server, mirror, files)
        far = tmp_path / "far"
        assert cli(far, "sources", "add", url, "--pubkey", keypair[1]).returncode == 0
        assert cli(far, "keep", "mechanics", "astronomy").returncode == 0
        synced = cli(far, "sync", "--from", str(bundle), "--json")
        assert synced.returncode == 0, synced.stderr
        fetched = {r.path for r in server.requests() if r.path.startswith("/media/")}
    # From the drive: the three good files of mechanics. Over the network: astronomy's
    # file, which the bundle does not hold, and the damaged one.
    assert fetched == {"/media/stars.mp4", "/media/light.mp4"}
    states = media_states(far)
    for href in ("media/gravity.mp4", "media/gravity.en.vtt", "media/gravity.zh.vtt", "media/light.mp4"):
        assert states[href] == "present"
        stored = next((far / "media").rglob(f"{sha(files[href])}.*"))
        assert file_sha(stored) == sha(files[href])
    assert states["media/stars.mp4"] == "present"
    assert cli(far, "verify").returncode == 0


def test_sync_from_a_plain_mirror_folder(tmp_path, keypair):
    """Not only bundles: any mirror folder (here the publisher's own) serves `--from`."""
    private, public = keypair
    catalog, files = base_catalog()
    mirror = write_mirror(tmp_path / "www", catalog, files, key_path=private)
    with FaultServer() as server:
        url = serve_physics(server, mirror, files)
        lib = tmp_path / "lib"
        assert cli(lib, "sources", "add", url, "--pubkey", public).returncode == 0
        assert cli(lib, "keep", "astronomy").returncode == 0
        synced = cli(lib, "sync", "--from", str(mirror))
        assert synced.returncode == 0, synced.stderr
        assert not [r for r in server.requests() if r.path.startswith("/media/")]
    assert media_states(lib)["media/stars.mp4"] == "present"


def test_sync_from_a_folder_that_is_not_a_bundle_is_bad_input(tmp_path):
    (tmp_path / "empty").mkdir()
    done = cli(tmp_path / "lib", "sync", "--from", str(tmp_path / "empty"))
    assert done.returncode == 2
    assert "neither a bundle nor a mirror" in done.stderr
