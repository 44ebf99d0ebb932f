"""The core pieces behind the Get lectures screen: drives, keys, keeping, stored limits."""

from datetime import datetime, timedelta

import pytest

from player.catalog import signing
from player.errors import BadInput, SignatureError
from player.library.sources import key_fingerprint, list_sources, preview_source
from player.sync import limits
from player.sync.drives import find_drive_mirrors
from player.sync.keeping import kept_totals, set_kept
from tests.mirrors import base_catalog, run_cli, write_mirror


def test_drive_mirrors_are_found_at_the_top_or_one_folder_down(tmp_path):
    media = tmp_path / "media" / "ming"
    write_mirror(media / "STICK", *base_catalog())
    write_mirror(media / "DISK" / "lectures", *base_catalog())
    (media / "EMPTY" / "photos").mkdir(parents=True)
    write_mirror(media / "DEEP" / "a" / "b", *base_catalog())  # too deep to look at
    found = find_drive_mirrors([media, tmp_path / "not-mounted"])
    assert [(m.path, m.drive) for m in found] == [
        (media / "DISK" / "lectures", media / "DISK"),
        (media / "STICK", media / "STICK"),
    ]


def test_preview_checks_the_signature_against_the_key_and_changes_nothing(tmp_path, keypair, library):
    private, public = keypair
    mirror = write_mirror(tmp_path / "mirror", *base_catalog(), key_path=private)
    preview = preview_source(str(mirror), pubkey=public)
    assert (preview.id, preview.version, preview.series_count, preview.lecture_count) == (
        "org.example.physics",
        1,
        2,
        3,
    )
    assert preview.signed and preview.pubkey == public
    assert preview.fingerprint == key_fingerprint(public)
    assert len(preview.fingerprint.split()) == 8
    assert list_sources(library) == []

    (tmp_path / "other").mkdir()
    other = signing.generate_keypair(tmp_path / "other" / "k").read_text().strip()
    with pytest.raises(SignatureError, match="does not match the pinned key"):
        preview_source(str(mirror), pubkey=other)
    with pytest.raises(BadInput, match="not an Ed25519 key"):
        preview_source(str(mirror), pubkey="not a key")
    unsigned = write_mirror(tmp_path / "plain", *base_catalog())
    assert not preview_source(str(unsigned)).signed


def test_keeping_and_unkeeping_update_the_totals(tmp_path, library):
    from player.library.sources import add_source

    add_source(library, str(write_mirror(tmp_path / "mirror", *base_catalog())))
    assert kept_totals(library).series == 0
    set_kept(library, "org.example.physics", "mechanics", True)
    totals = kept_totals(library)
    assert totals.series == 1 and totals.total_size > 0 and totals.present_size == 0
    set_kept(library, "org.example.physics", "mechanics", False)
    assert kept_totals(library).series == 0


def test_stored_limits_round_trip_and_refuse_bad_text(library):
    assert limits.max_rate(library) is None and limits.window(library) is None
    assert limits.set_max_rate(library, "500K") == 500_000
    assert str(limits.set_window(library, "22:00-06:00")) == "22:00-06:00"
    assert limits.max_rate(library) == 500_000 and str(limits.window(library)) == "22:00-06:00"
    with pytest.raises(BadInput):
        limits.set_window(library, "late")
    assert limits.set_max_rate(library, "") is None and limits.max_rate(library) is None


def test_the_sync_command_keeps_to_the_hours_stored_in_the_library(tmp_path, capsys):
    root = tmp_path / "lib"
    mirror = write_mirror(tmp_path / "mirror", *base_catalog())
    assert run_cli(capsys, "--library", str(root), "sources", "add", str(mirror))[0] == 0
    assert run_cli(capsys, "--library", str(root), "keep", "mechanics")[0] == 0
    from player.library.db import open_library

    start = datetime.now() + timedelta(hours=2)
    with open_library(root) as lib:
        limits.set_window(lib, f"{start:%H:%M}-{start + timedelta(hours=1):%H:%M}")
    code, _out, err = run_cli(capsys, "--library", str(root), "sync", "--no-refresh")
    assert code == 1
    assert "outside those hours" in err
