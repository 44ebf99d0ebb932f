"""`lecture-player import`: a bundle into a library, checked before anything changes."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.mirrors import sha
from tests.test_bundle_export import (
    ROOT,
    big_library,
    cli,
    file_sha,
    kill_mid_copy,
    physics_library,
)


def exported(tmp_path: Path, keypair, *series: str) -> tuple[Path, dict[str, bytes]]:
    lib, _, _, files = physics_library(tmp_path, keypair)
    dest = tmp_path / "usb" / "bundle"
    done = cli(lib, "export", str(dest), "--series", *series)
    assert done.returncode == 0, done.stderr
    return dest, files


def media_states(lib_dir: Path) -> dict[str, str]:
    with sqlite3.connect(lib_dir / "library.db") as db:
        # The built-in sample every new library has is left out.
        return dict(
            db.execute(
                """SELECT m.href, m.state FROM media m LEFT JOIN lectures l ON l.pk = m.lecture_pk
                   JOIN series s ON s.pk = coalesce(l.series_pk, m.series_pk)
                   JOIN sources src ON src.id = s.source_id WHERE src.builtin = 0"""
            )
        )


def sources_of(lib_dir: Path) -> dict[str, str | None]:
    if not (lib_dir / "library.db").exists():
        return {}
    with sqlite3.connect(lib_dir / "library.db") as db:
        return dict(db.execute("SELECT id, pubkey FROM sources WHERE builtin = 0"))


def test_import_into_a_fresh_library_keeps_the_series_with_verified_lectures(tmp_path, keypair):
    bundle, files = exported(tmp_path, keypair, "mechanics")
    fresh = tmp_path / "fresh"
    done = cli(fresh, "import", str(bundle), "--pubkey", keypair[1])
    assert done.returncode == 0, done.stderr
    assert "4 file(s) copied" in done.stdout

    assert sources_of(fresh) == {"org.example.physics": keypair[1]}
    series = json.loads(cli(fresh, "series", "list", "--json").stdout)
    kept = {s["id"]: s["kept"] for s in series if s["source_id"] == "org.example.physics"}
    assert kept == {"mechanics": True, "astronomy": False}
    states = media_states(fresh)
    for href in ("media/gravity.mp4", "media/gravity.en.vtt", "media/gravity.zh.vtt", "media/light.mp4"):
        assert states[href] == "present"
        assert file_sha(next((fresh / "media").rglob(f"{sha(files[href])}.*"))) == sha(files[href])
    assert states["media/stars.mp4"] == "absent"
    assert cli(fresh, "verify").returncode == 0
    # The subtitles arrived and were indexed: search finds a line of them.
    found = json.loads(cli(fresh, "search", "Newton", "--json").stdout)
    assert any(hit["lecture_id"] == "gravity" for hit in found)

    # A second import finds everything in place and copies nothing.
    again = cli(fresh, "import", str(bundle), "--json")
    assert again.returncode == 0, again.stderr
    events = [json.loads(line) for line in again.stdout.splitlines()]
    assert not [e for e in events if e["event"] == "file_started"]
    assert [e for e in events if e["event"] == "finished"][0]["files_skipped"] == 4


def test_a_new_source_needs_a_key_or_trust(tmp_path, keypair):
    bundle, _ = exported(tmp_path, keypair, "astronomy")
    fresh = tmp_path / "fresh"
    refused = cli(fresh, "import", str(bundle))
    assert refused.returncode == 2
    assert "new to this library" in refused.stderr and "--trust-new-key" in refused.stderr
    assert sources_of(fresh) == {}

    trusted = cli(fresh, "import", str(bundle), "--trust-new-key")
    assert trusted.returncode == 0, trusted.stderr
    assert sources_of(fresh) == {"org.example.physics": keypair[1]}  # the bundle's key, pinned


def test_a_symlink_pointing_out_of_the_bundle_is_refused(tmp_path, keypair):
    bundle, files = exported(tmp_path, keypair, "mechanics")
    outside = tmp_path / "secret.mp4"
    outside.write_bytes(files["media/light.mp4"])  # even the right bytes: never read through it
    (bundle / "media/light.mp4").unlink()
    (bundle / "media/light.mp4").symlink_to(outside)

    fresh = tmp_path / "fresh"
    refused = cli(fresh, "import", str(bundle), "--pubkey", keypair[1])
    assert refused.returncode == 2
    assert "media/light.mp4" in refused.stderr and "points outside the bundle" in refused.stderr
    assert "nothing was imported" in refused.stderr
    assert sources_of(fresh) == {}
    assert not list((fresh / "media").rglob(f"{sha(files['media/light.mp4'])}.*"))
    assert not list((fresh / "media").rglob(f"{sha(files['media/gravity.mp4'])}.*"))


def test_a_catalog_changed_after_signing_is_refused(tmp_path, keypair):
    bundle, _ = exported(tmp_path, keypair, "mechanics")
    catalog = bundle / "catalog.json"
    catalog.write_bytes(catalog.read_bytes().replace(b"Classical mechanics", b"Classical nonsense!"))

    fresh = tmp_path / "fresh"
    for key_option in (["--pubkey", keypair[1]], ["--trust-new-key"]):
        refused = cli(fresh, "import", str(bundle), *key_option)
        assert refused.returncode == 2, refused.stderr
        assert "signature does not match" in refused.stderr
        assert sources_of(fresh) == {}


def test_a_damaged_file_fails_alone_and_the_rest_is_imported(tmp_path, keypair):
    bundle, files = exported(tmp_path, keypair, "mechanics")
    damaged = bundle / "media/light.mp4"
    damaged.write_bytes(b"x" * len(files["media/light.mp4"]))
    fresh = tmp_path / "fresh"
    done = cli(fresh, "import", str(bundle), "--pubkey", keypair[1])
    assert done.returncode == 1
    assert "media/light.mp4" in done.stderr and "damaged" in done.stderr
    states = media_states(fresh)
    assert states["media/light.mp4"] != "present" and states["media/gravity.mp4"] == "present"
    assert not list((fresh / "tmp").glob("*.part"))


def test_an_incomplete_bundle_says_what_is_missing(tmp_path, keypair):
    bundle, _ = exported(tmp_path, keypair, "mechanics")
    (bundle / "media/gravity.zh.vtt").unlink()
    fresh = tmp_path / "fresh"
    done = cli(fresh, "import", str(bundle), "--pubkey", keypair[1])
    assert done.returncode == 1
    assert "1 file(s) that bundle.json lists are not in" in done.stderr and "export it again" in done.stderr
    assert media_states(fresh)["media/gravity.mp4"] == "present"


def test_sigkill_during_import_then_resume(tmp_path, keypair):
    lib, _, files = big_library(tmp_path, keypair, 4, 20_000_000)
    bundle = tmp_path / "usb" / "bundle"
    assert cli(lib, "export", str(bundle), "--all-kept").returncode == 0
    fresh = tmp_path / "fresh"
    argv = [sys.executable, "-m", "player", "--library", str(fresh), "import", str(bundle), "--json"]
    killed = kill_mid_copy(
        [*argv, "--pubkey", keypair[1]],
        fresh / "tmp",
        "*.part",
        lambda: shutil.rmtree(fresh, ignore_errors=True),
    )
    assert killed, "the import always ended before a part file was seen"
    # Nothing half-copied is recorded: every file the library calls present is whole.
    for href, state in media_states(fresh).items():
        if state == "present":
            stored = next((fresh / "media").rglob(f"{sha(files[href])}.*"))
            assert file_sha(stored) == sha(files[href])

    again = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert again.returncode == 0, again.stderr
    events = [json.loads(line) for line in again.stdout.splitlines()]
    assert [e for e in events if e["event"] == "file_started" and e["have"] > 0], "no part file was continued"
    assert set(media_states(fresh).values()) == {"present"}
    for data in files.values():
        assert file_sha(next((fresh / "media").rglob(f"{sha(data)}.*"))) == sha(data)
    assert not list((fresh / "tmp").glob("*.part*"))
    assert cli(fresh, "verify").returncode == 0


def test_import_needs_a_bundle(tmp_path):
    (tmp_path / "empty").mkdir()
    done = cli(tmp_path / "lib", "import", str(tmp_path / "empty"))
    assert done.returncode == 2
    assert "neither a bundle nor a mirror" in done.stderr


def test_an_older_bundle_keeps_the_newer_catalog_and_still_gives_its_files(tmp_path, keypair):
    from tests.mirrors import base_catalog, variant, write_mirror

    bundle, files = exported(tmp_path, keypair, "mechanics")
    catalog, _ = base_catalog()
    newer = write_mirror(
        tmp_path / "v2", variant(catalog, version=2, title="Physics, v2"), key_path=keypair[0]
    )
    fresh = tmp_path / "fresh"
    assert cli(fresh, "sources", "add", str(newer), "--pubkey", keypair[1]).returncode == 0

    done = cli(fresh, "import", str(bundle))
    assert done.returncode == 0, done.stderr
    assert "the library has version 2, newer than the bundle's 1" in done.stderr
    with sqlite3.connect(fresh / "library.db") as db:
        assert db.execute("SELECT version FROM sources WHERE id = 'org.example.physics'").fetchone() == (2,)
    assert media_states(fresh)["media/gravity.mp4"] == "present"
    stored = next((fresh / "media").rglob(f"{sha(files['media/gravity.mp4'])}.*"))
    assert file_sha(stored) == sha(files["media/gravity.mp4"])


def test_export_refuses_a_folder_holding_another_catalog(tmp_path, keypair):
    from tests.mirrors import one_series_catalog, write_mirror

    lib, _, _, _ = physics_library(tmp_path, keypair)
    taken = write_mirror(tmp_path / "taken", one_series_catalog([], "org.example.someone-else"))
    done = cli(lib, "export", str(taken), "--series", "mechanics")
    assert done.returncode == 2
    assert "belongs to another catalog (org.example.someone-else)" in done.stderr
    assert not (taken / "media").exists()


def test_deeply_nested_json_in_a_bundle_is_refused_before_decoding(tmp_path, keypair):
    bundle, _ = exported(tmp_path, keypair, "mechanics")
    fresh = tmp_path / "fresh"
    manifest = bundle / "bundle.json"
    good = manifest.read_bytes()
    manifest.write_bytes(good.replace(b'"sources"', b'"x-deep": ' + b"[" * 990 + b"]" * 990 + b', "sources"'))
    for key_option in (["--pubkey", keypair[1]], ["--trust-new-key"]):
        refused = cli(fresh, "import", str(bundle), *key_option)
        assert refused.returncode == 2, refused.stderr
        assert "Traceback" not in refused.stderr
        assert f"{manifest} is nested more than 64 levels deep" in refused.stderr
        assert sources_of(fresh) == {}

    manifest.write_bytes(good)
    catalog = bundle / "catalog.json"
    raw = catalog.read_bytes()
    end = raw.rindex(b"}")
    catalog.write_bytes(raw[:end] + b', "x-deep": ' + b"[" * 990 + b"]" * 990 + raw[end:])
    refused = cli(fresh, "import", str(bundle), "--pubkey", keypair[1])
    assert refused.returncode == 2, refused.stderr
    assert "Traceback" not in refused.stderr and "nested more than 64 levels deep" in refused.stderr
    assert sources_of(fresh) == {}


def test_trust_new_key_refuses_a_bundle_that_carries_no_key(tmp_path, keypair):
    """bundle.json with "pubkey": null, no .sig, an edited catalog: nothing to trust."""
    bundle, _ = exported(tmp_path, keypair, "mechanics")
    manifest = json.loads((bundle / "bundle.json").read_text())
    manifest["sources"][0]["pubkey"] = None
    (bundle / "bundle.json").write_text(json.dumps(manifest))
    (bundle / "catalog.json.sig").unlink()
    catalog = bundle / "catalog.json"
    catalog.write_bytes(catalog.read_bytes().replace(b"Classical mechanics", b"Classical nonsense!"))
    fresh = tmp_path / "fresh"
    refused = cli(fresh, "import", str(bundle), "--trust-new-key")
    assert refused.returncode == 2, refused.stderr
    assert "carries no key for it, so there is no key to trust" in refused.stderr
    assert "--pubkey" in refused.stderr and "Traceback" not in refused.stderr
    assert sources_of(fresh) == {}

    manifest["sources"][0]["pubkey"] = "not a key"
    (bundle / "bundle.json").write_text(json.dumps(manifest))
    refused = cli(fresh, "import", str(bundle), "--trust-new-key")
    assert refused.returncode == 2 and "is not an Ed25519 key" in refused.stderr
    assert sources_of(fresh) == {}


def test_trust_new_key_says_which_key_it_pinned(tmp_path, keypair):
    from player.library.sources import key_fingerprint

    bundle, _ = exported(tmp_path, keypair, "mechanics")
    fresh = tmp_path / "fresh"
    done = cli(fresh, "import", str(bundle), "--trust-new-key")
    assert done.returncode == 0, done.stderr
    assert f"org.example.physics: pinned the publisher's key {key_fingerprint(keypair[1])}." in done.stdout
    assert sources_of(fresh) == {"org.example.physics": keypair[1]}
    again = cli(fresh, "import", str(bundle), "--trust-new-key")
    assert again.returncode == 0 and "pinned" not in again.stdout  # pinned already: nothing new


def library_with_the_sample(tmp_path, keypair):
    """What a person's app makes: the built-in sample kept, plus a signed source synced."""
    from player.library.db import open_library
    from player.library.kept import keep_series
    from player.library.sources import add_source
    from tests.mirrors import base_catalog, sync_from_local_mirrors, write_mirror

    private, public = keypair
    catalog, files = base_catalog()
    mirror = write_mirror(tmp_path / "www", catalog, files, key_path=private)
    lib = tmp_path / "lib"
    with open_library(lib, install_sample=True) as opened:
        add_source(opened, str(mirror), pubkey=public)
        for series_id in ("mechanics", "astronomy"):
            keep_series(opened, "org.example.physics", series_id)
        sync_from_local_mirrors(opened)
    return lib, files


def all_kept_files_present(lib_dir: Path) -> bool:
    states = media_states(lib_dir)
    # Only one rendition of each lecture is kept: the 720p one is never fetched.
    return states.pop("media/stars-720.mp4") == "absent" and set(states.values()) == {"present"}


def test_the_readme_usb_workflow_with_the_sample_kept(tmp_path, keypair):
    """README, USB bundles: `export --all-kept` on a library that keeps the sample, then
    `import --pubkey KEY` on a fresh machine."""
    from player.library.sources import key_fingerprint

    lib, files = library_with_the_sample(tmp_path, keypair)
    usb = tmp_path / "usb" / "lectures"
    done = cli(lib, "export", str(usb), "--all-kept")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((usb / "bundle.json").read_text())
    assert [(s["id"], s["folder"]) for s in manifest["sources"]] == [("org.example.physics", ".")]

    fresh = tmp_path / "fresh"
    done = cli(fresh, "import", str(usb), "--pubkey", keypair[1])
    assert done.returncode == 0, done.stderr
    assert f"org.example.physics: pinned the publisher's key {key_fingerprint(keypair[1])}." in done.stdout
    assert sources_of(fresh) == {"org.example.physics": keypair[1]}
    assert all_kept_files_present(fresh)
    with sqlite3.connect(fresh / "library.db") as db:
        assert db.execute("SELECT count(*) FROM sources WHERE builtin = 1").fetchone() == (0,)
    assert cli(fresh, "verify").returncode == 0


def test_a_bundle_with_the_sample_named_imports_each_source_on_its_own(tmp_path, keypair):
    """The sample goes only when named. Imported with one --pubkey, the source pinned to
    another key is checked against that key; one that fails does not stop the others."""
    lib, _ = library_with_the_sample(tmp_path, keypair)
    usb = tmp_path / "usb" / "lectures"
    done = cli(
        lib, "export", str(usb), "--all-kept", "--series", "org.lecture-player.sample/physics-everyday"
    )
    assert done.returncode == 0, done.stderr
    manifest = json.loads((usb / "bundle.json").read_text())
    assert sorted(s["id"] for s in manifest["sources"]) == [
        "org.example.physics",
        "org.lecture-player.sample",
    ]

    # A library that has the sample (the app's): the sample is checked against its pinned key.
    app_lib = tmp_path / "app"
    from player.library.db import open_library

    open_library(app_lib, install_sample=True).close()
    done = cli(app_lib, "import", str(usb), "--pubkey", keypair[1])
    assert done.returncode == 0, done.stderr
    assert "org.lecture-player.sample: pinned to another key than --pubkey" in done.stderr
    assert sources_of(app_lib) == {"org.example.physics": keypair[1]}

    # A library without it: the sample is refused alone, and the publisher's source comes in.
    fresh = tmp_path / "fresh"
    done = cli(fresh, "import", str(usb), "--pubkey", keypair[1], "--json")
    assert done.returncode == 2, done.stderr
    assert "org.lecture-player.sample was not imported" in done.stderr
    assert "checked against the key given with --pubkey" in done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    refused = [e for e in events if e["event"] == "source" and "error" in e]
    assert [e["source_id"] for e in refused] == ["org.lecture-player.sample"]
    summary = [e for e in events if e["event"] == "summary"][0]
    assert summary["refused"] == ["org.lecture-player.sample"]
    assert set(summary["pinned"]) == {"org.example.physics"}
    assert sources_of(fresh) == {"org.example.physics": keypair[1]}
    assert all_kept_files_present(fresh)
