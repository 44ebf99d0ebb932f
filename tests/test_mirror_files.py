"""What a mirror or bundle folder holds under the expected names may be anything: a FIFO,
a folder, a file far too large. Real FIFOs, real CLI subprocesses, a real HTTP server."""

from __future__ import annotations

import gzip
import os
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest

from player.catalog.localfile import FileOverLimit, read_regular_file
from player.errors import BadInput, CatalogError
from player.library.sources import add_source, list_sources
from tests.httpserver import serve_folder
from tests.mirrors import base_catalog, write_mirror
from tests.test_bundle_export import cli, physics_library

# About 50 KB on the wire, 100 MB once inflated: never inflated, it is over the 4 KiB limit.
GZIP_BOMB = gzip.compress(b"\0" * 100_000_000, compresslevel=9)


def fifo(path: Path) -> Path:
    if path.exists():
        path.unlink()
    os.mkfifo(path)
    return path


def signed_mirror(tmp_path: Path, keypair) -> Path:
    catalog, files = base_catalog()
    return write_mirror(tmp_path / "mirror", catalog, files, key_path=keypair[0])


def assert_refused_naming(done, path: Path, what: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert f"{path} is {what}, not a file." in line


@pytest.mark.parametrize("name", ["catalog.json", "catalog.json.sig"])
def test_a_fifo_in_a_mirror_is_refused_not_waited_on(tmp_path, keypair, name):
    mirror = signed_mirror(tmp_path, keypair)
    pipe = fifo(mirror / name)
    lib = tmp_path / "lib"
    for command in (["sources", "add", str(mirror)], ["import", str(mirror)]):
        done = cli(lib, *command, timeout=60)  # an open() that waits for a writer fails here
        assert_refused_naming(done, pipe, "a named pipe (FIFO)")


def test_a_fifo_bundle_json_is_refused_not_waited_on(tmp_path, keypair):
    lib, _, _, _ = physics_library(tmp_path, keypair)
    bundle = tmp_path / "usb" / "bundle"
    assert cli(lib, "export", str(bundle), "--series", "mechanics").returncode == 0
    pipe = fifo(bundle / "bundle.json")
    assert_refused_naming(
        cli(tmp_path / "lib2", "import", str(bundle), timeout=60), pipe, "a named pipe (FIFO)"
    )
    # With no catalog.json on top, `sources add` reads bundle.json to find the mirrors.
    several = tmp_path / "several"
    several.mkdir()
    pipe = fifo(several / "bundle.json")
    for command in (["sources", "add", str(several)], ["import", str(several)]):
        assert_refused_naming(cli(tmp_path / "lib2", *command, timeout=60), pipe, "a named pipe (FIFO)")


def test_a_folder_named_catalog_json_is_refused(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "catalog.json").mkdir(parents=True)
    for command in (["sources", "add", str(mirror)], ["import", str(mirror)]):
        assert_refused_naming(
            cli(tmp_path / "lib", *command, timeout=60), mirror / "catalog.json", "a folder"
        )


def test_export_into_a_folder_with_a_fifo_is_refused(tmp_path, keypair):
    lib, _, _, _ = physics_library(tmp_path, keypair)
    dest = tmp_path / "usb" / "bundle"
    dest.mkdir(parents=True)
    pipe = fifo(dest / "catalog.json.sig")
    done = cli(lib, "export", str(dest), "--series", "mechanics", timeout=60)
    assert_refused_naming(done, pipe, "a named pipe (FIFO)")
    assert pipe.exists() and not (dest / "bundle.json").exists()


def test_symlinks_inside_the_mirror_still_work(library, tmp_path, keypair):
    mirror = signed_mirror(tmp_path, keypair)
    (mirror / "real").mkdir()
    for name in ("catalog.json", "catalog.json.sig"):
        (mirror / name).rename(mirror / "real" / name)
        (mirror / name).symlink_to(Path("real") / name)
    assert add_source(library, str(mirror), pubkey=keypair[1]).added == 3


def test_read_regular_file_reads_up_to_its_limit(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_regular_file(path, 10) == b"x" * 10
    with pytest.raises(FileOverLimit) as caught:
        read_regular_file(path, 9)
    assert caught.value.size == 10 and str(path) in caught.value.message
    assert read_regular_file(tmp_path / "missing", 10) is None
    with pytest.raises(BadInput, match="is a device, not a file"):
        read_regular_file(Path("/dev/zero"), 10)


def test_an_oversized_local_signature_is_named(library, tmp_path, keypair):
    mirror = signed_mirror(tmp_path, keypair)
    (mirror / "catalog.json.sig").write_bytes(GZIP_BOMB)
    with pytest.raises(CatalogError) as caught:
        add_source(library, str(mirror), pubkey=keypair[1])
    assert caught.value.message.startswith(f"{mirror.resolve() / 'catalog.json.sig'} is ")
    assert "over the limit of 4,096 bytes" in caught.value.message
    assert "--max-catalog-size" not in str(caught.value)
    size = (mirror / "catalog.json").stat().st_size
    with pytest.raises(CatalogError) as caught:
        add_source(library, str(mirror), max_bytes=size - 1)
    assert caught.value.message.startswith(f"{mirror.resolve() / 'catalog.json'} is ")
    assert list_sources(library) == []


class _GzipSignature(SimpleHTTPRequestHandler):
    """Serves a folder over HTTP/1.0. The signature comes gzip-encoded whatever the client
    asked for, and with no Content-Length, so only counting the bytes finds it too large."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        self.send_response(200)
        if path.name.endswith(".sig"):
            self.send_header("Content-Encoding", "gzip")
        else:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_an_oversized_http_signature_is_named(library, tmp_path, keypair):
    mirror = signed_mirror(tmp_path, keypair)
    (mirror / "catalog.json.sig").write_bytes(GZIP_BOMB)
    with serve_folder(mirror, _GzipSignature) as base:
        with pytest.raises(CatalogError) as caught:
            add_source(library, base + "catalog.json", pubkey=keypair[1])
        assert caught.value.message.startswith(f"{base}catalog.json.sig is ")
        assert caught.value.problems == [("catalog.json.sig", "signature too large")]
        size = len((mirror / "catalog.json").read_bytes())
        with pytest.raises(CatalogError) as caught:
            add_source(library, base + "catalog.json", max_bytes=size - 1)
        assert caught.value.message.startswith(f"{base}catalog.json is ")
    assert list_sources(library) == []
