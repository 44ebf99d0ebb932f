"""Sources over real HTTP on 127.0.0.1."""

import json

import pytest

from player.errors import CatalogError, FetchError
from player.library.sources import add_source, list_sources
from tests.httpserver import serve_folder
from tests.mirrors import base_catalog, write_mirror


def test_add_http_source_signed(library, tmp_path, keypair):
    private, public = keypair
    catalog, files = base_catalog()
    write_mirror(tmp_path / "www", catalog, files, key_path=private)
    with serve_folder(tmp_path / "www") as base:
        result = add_source(library, base + "catalog.json", pubkey=public)
        assert result.added == 3 and result.warnings == []
        assert add_source(library, base).unchanged  # a URL prefix works too
    [source] = list_sources(library)
    assert source.location == base + "catalog.json"


def test_http_catalog_over_limit_is_cut_off(library, tmp_path):
    catalog, files = base_catalog()
    write_mirror(tmp_path / "www", catalog, files)
    size = len(json.dumps(catalog, ensure_ascii=False, indent=1).encode())
    with serve_folder(tmp_path / "www") as base, pytest.raises(CatalogError, match="over the limit"):
        add_source(library, base + "catalog.json", max_bytes=size - 10)
    assert list_sources(library) == []


def test_http_errors_are_clear(library, tmp_path):
    (tmp_path / "www").mkdir()
    with serve_folder(tmp_path / "www") as base, pytest.raises(FetchError, match="HTTP 404"):
        add_source(library, base + "catalog.json")
    with pytest.raises(FetchError, match="Cannot fetch"):
        add_source(library, base + "catalog.json")  # the server is gone now


def test_a_hostile_catalog_in_one_source_does_not_stop_the_sync_of_the_others(tmp_path, keypair):
    """Two sources over HTTP; one publishes a catalog nested 990 levels deep. `sync` reports
    that one in a sentence and still fetches the other's lectures."""
    from tests.mirrors import variant
    from tests.test_bundle_export import cli
    from tests.test_catalog_bad_input import deep_extension

    private, public = keypair
    catalog, files = base_catalog()
    write_mirror(tmp_path / "www" / "good", catalog, files, key_path=private)
    other = variant(catalog, id="org.example.other")
    write_mirror(tmp_path / "www" / "bad", other, files, key_path=private)
    lib = tmp_path / "lib"
    with serve_folder(tmp_path / "www") as base:
        for name in ("good", "bad"):
            assert cli(lib, "sources", "add", base + name + "/", "--pubkey", public).returncode == 0
        for source_id in ("org.example.physics", "org.example.other"):
            assert cli(lib, "keep", "mechanics", "--source", source_id).returncode == 0
        hostile = deep_extension(variant(other, version=2), 990)
        write_mirror(tmp_path / "www" / "bad", hostile, key_path=private)  # signed, even
        done = cli(lib, "sync", "--json", "--reserve", "0")
    assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    sources = {e["source_id"]: e for e in events if e["event"] == "source"}
    assert "nested more than 64 levels deep" in sources["org.example.other"]["error"]
    assert "error" not in sources["org.example.physics"]
    finished = [e for e in events if e["event"] == "finished"][0]
    assert finished["files_failed"] == 0 and finished["files_done"] == 4, done.stderr
    assert done.returncode == 0, done.stderr


def pinned_keys(lib) -> dict:
    import sqlite3

    with sqlite3.connect(lib / "library.db") as db:
        return dict(db.execute("SELECT id, pubkey FROM sources WHERE builtin = 0"))


def test_offering_a_key_for_a_source_followed_without_one_verifies_and_pins_it(tmp_path, keypair):
    """The catalog's bytes have not changed since it was added without a key: `sources add
    URL --pubkey KEY` still checks the signature with KEY and pins it, or refuses."""
    from player.catalog import signing
    from player.library.sources import key_fingerprint
    from tests.mirrors import variant
    from tests.test_bundle_export import cli

    private, public = keypair
    other_public = signing.generate_keypair(tmp_path / "other.key").read_text().strip()
    catalog, files = base_catalog()
    write_mirror(tmp_path / "www", catalog, files, key_path=private)
    lib = tmp_path / "lib"
    with serve_folder(tmp_path / "www") as base:
        url = base + "catalog.json"
        added = cli(lib, "sources", "add", url)
        assert added.returncode == 0 and "no key is pinned" in added.stderr
        assert pinned_keys(lib) == {"org.example.physics": None}

        wrong = cli(lib, "sources", "add", url, "--pubkey", other_public)
        assert wrong.returncode == 2
        assert "signature does not match" in wrong.stderr and "Traceback" not in wrong.stderr
        assert "already up to date" not in wrong.stdout
        assert pinned_keys(lib) == {"org.example.physics": None}

        right = cli(lib, "sources", "add", url, "--pubkey", public)
        assert right.returncode == 0, right.stderr
        assert f"org.example.physics: pinned the publisher's key {key_fingerprint(public)}." in right.stdout
        assert pinned_keys(lib) == {"org.example.physics": public}
        assert (lib / "catalogs" / "org.example.physics.json.sig").read_bytes() == (
            tmp_path / "www" / "catalog.json.sig"
        ).read_bytes()

        # From now on a catalog signed by anyone else is refused.
        write_mirror(tmp_path / "www", variant(catalog, version=2), files, key_path=tmp_path / "other.key")
        refused = cli(lib, "sources", "add", url)
        assert refused.returncode == 2 and "signature does not match" in refused.stderr
        synced = cli(lib, "sync", "--json", "--reserve", "0")
        assert "signature does not match" in synced.stdout
    assert pinned_keys(lib) == {"org.example.physics": public}
    assert json.loads(cli(lib, "sources", "list", "--json").stdout)[0]["version"] == 1


def test_offering_a_key_for_an_unsigned_source_refuses_and_pins_nothing(tmp_path, keypair):
    from tests.test_bundle_export import cli

    catalog, files = base_catalog()
    write_mirror(tmp_path / "www", catalog, files)  # no signature
    lib = tmp_path / "lib"
    with serve_folder(tmp_path / "www") as base:
        assert cli(lib, "sources", "add", base).returncode == 0
        offered = cli(lib, "sources", "add", base, "--pubkey", keypair[1])
    assert offered.returncode == 2 and "no signature" in offered.stderr
    assert pinned_keys(lib) == {"org.example.physics": None}
