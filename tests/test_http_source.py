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
