"""A mirror hosted by nginx from Debian: the catalog imports over real HTTP."""

import pytest

from player.library.sources import add_source
from tests import nginx
from tests.mirrors import base_catalog, write_mirror

pytestmark = pytest.mark.skipif(not nginx.available(), reason="nginx is not installed (./dev.sh installs it)")


def test_signed_catalog_from_nginx(library, tmp_path, keypair):
    private, public = keypair
    catalog, files = base_catalog()
    write_mirror(tmp_path / "www", catalog, files, key_path=private)
    with nginx.serve(tmp_path / "www", tmp_path / "nginx") as server:
        result = add_source(library, server.url, pubkey=public)
        assert result.added == 3 and result.warnings == []
        assert any(line.startswith("GET /catalog.json 200") for line in server.log_lines())
        assert any(line.startswith("GET /catalog.json.sig 200") for line in server.log_lines())
