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
