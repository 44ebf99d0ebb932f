"""`serve`: the library as a read-only mirror over HTTP, against a real server on 127.0.0.1."""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from player.library.db import open_library
from player.library.kept import keep_series
from player.library.sources import add_source
from player.library.storecheck import mark_absent
from player.share.server import RunningShare
from tests.mirrors import base_catalog, sha, sync_from_local_mirrors, write_mirror

SOURCE = "org.example.physics"
ROOT = Path(__file__).resolve().parent.parent
SECRET = b"outside-the-library-secret"


def make_shared_library(tmp_path: Path, private_key: Path, public_key: str, *, extra_files=None):
    """A library that follows a signed mirror and stores both of its series."""
    catalog, files = base_catalog()
    mirror = write_mirror(tmp_path / "mirror", catalog, files, key_path=private_key)
    lib_dir = tmp_path / "lib"
    with open_library(lib_dir, install_sample=False) as lib:
        add_source(lib, str(mirror), pubkey=public_key)
        keep_series(lib, SOURCE, "mechanics")
        keep_series(lib, SOURCE, "astronomy")
        sync_from_local_mirrors(lib)
    return lib_dir, mirror, files


@pytest.fixture
def shared(tmp_path, keypair):
    private, public = keypair
    lib_dir, mirror, files = make_shared_library(tmp_path, private, public)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    events: list[dict] = []
    with RunningShare(lib_dir, port=0, on_event=events.append) as share:
        share.events = events
        share.lib_dir, share.mirror, share.files = lib_dir, mirror, files
        yield share


def request(share, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", share.server.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


def raw_request(share, target: bytes) -> tuple[int, bytes]:
    """Send a request line exactly as given, for paths http.client would refuse or clean."""
    with socket.create_connection(("127.0.0.1", share.server.port), timeout=10) as s:
        s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


GRAVITY = f"/{SOURCE}/media/gravity.mp4"


def test_index_and_the_publishers_catalog_unchanged(shared):
    status, headers, body = request(shared, "GET", "/")
    assert status == 200
    index = json.loads(body)
    assert [s["id"] for s in index["sources"]] == [SOURCE]
    assert index["sources"][0]["path"] == f"/{SOURCE}/"
    assert json.loads(request(shared, "GET", "/index.json")[2]) == index
    status, _, catalog = request(shared, "GET", f"/{SOURCE}/catalog.json")
    assert status == 200 and catalog == (shared.mirror / "catalog.json").read_bytes()
    status, _, sig = request(shared, "GET", f"/{SOURCE}/catalog.json.sig")
    assert status == 200 and sig == (shared.mirror / "catalog.json.sig").read_bytes()


def test_whole_file_with_validators(shared):
    data = shared.files["media/gravity.mp4"]
    status, headers, body = request(shared, "GET", GRAVITY)
    assert status == 200 and body == data
    assert headers["ETag"] == f'"{sha(data)}"'
    assert headers["Content-Length"] == str(len(data))
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["Content-Type"] == "video/mp4"
    assert email.utils.parsedate_to_datetime(headers["Last-Modified"])


@pytest.mark.parametrize(
    ("spec", "want"),
    [
        ("bytes=0-9", (0, 9)),  # first bytes
        ("bytes=1290-1299", (1290, 1299)),  # last bytes, named
        ("bytes=1200-", (1200, 1299)),  # open-ended
        ("bytes=-25", (1275, 1299)),  # suffix
        ("bytes=1290-99999", (1290, 1299)),  # end past the file is clipped
        ("bytes=-5000", (0, 1299)),  # suffix longer than the file
    ],
)
def test_ranges(shared, spec, want):
    data = shared.files["media/gravity.mp4"]
    assert len(data) == 1300
    status, headers, body = request(shared, "GET", GRAVITY, {"Range": spec})
    start, end = want
    assert status == 206
    assert headers["Content-Range"] == f"bytes {start}-{end}/1300"
    assert headers["Content-Length"] == str(end - start + 1)
    assert body == data[start : end + 1]


@pytest.mark.parametrize("spec", ["bytes=1300-", "bytes=5000-6000", "bytes=-0"])
def test_unsatisfiable_ranges(shared, spec):
    status, headers, _ = request(shared, "GET", GRAVITY, {"Range": spec})
    assert status == 416
    assert headers["Content-Range"] == "bytes */1300"


def test_if_range(shared):
    data = shared.files["media/gravity.mp4"]
    etag = f'"{sha(data)}"'
    _, headers, _ = request(shared, "HEAD", GRAVITY)
    modified = headers["Last-Modified"]
    match = request(shared, "GET", GRAVITY, {"Range": "bytes=10-19", "If-Range": etag})
    assert match[0] == 206 and match[2] == data[10:20]
    by_date = request(shared, "GET", GRAVITY, {"Range": "bytes=10-19", "If-Range": modified})
    assert by_date[0] == 206 and by_date[2] == data[10:20]
    for changed in ('"0000"', f"W/{etag}", "Mon, 01 Jan 2001 00:00:00 GMT"):
        status, _, body = request(shared, "GET", GRAVITY, {"Range": "bytes=10-19", "If-Range": changed})
        assert status == 200 and body == data, changed


def test_head_and_conditional_get(shared):
    data = shared.files["media/gravity.mp4"]
    status, headers, body = request(shared, "HEAD", GRAVITY)
    assert status == 200 and body == b"" and headers["Content-Length"] == str(len(data))
    status, headers, body = request(shared, "HEAD", GRAVITY, {"Range": "bytes=0-99"})
    assert status == 206 and body == b"" and headers["Content-Length"] == "100"
    status, headers, _ = request(shared, "GET", f"/{SOURCE}/catalog.json")
    again = request(shared, "GET", f"/{SOURCE}/catalog.json", {"If-None-Match": headers["ETag"]})
    assert again[0] == 304 and again[2] == b""


def test_keep_alive_serves_several_requests_on_one_connection(shared):
    conn = http.client.HTTPConnection("127.0.0.1", shared.server.port, timeout=10)
    try:
        for href in ("media/gravity.mp4", "media/light.mp4", "media/gravity.en.vtt"):
            conn.request("GET", f"/{SOURCE}/{href}")
            r = conn.getresponse()
            assert r.status == 200 and r.read() == shared.files[href]
            assert not r.will_close
        sock = conn.sock
        conn.request("GET", "/nothing/here")
        r = conn.getresponse()
        assert r.status == 404 and json.loads(r.read())["error"]
        assert conn.sock is sock  # the same connection all along
    finally:
        conn.close()


TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2e%2e/secret.txt",
    f"/{SOURCE}/../../secret.txt",
    f"/{SOURCE}/%2e%2e/%2e%2e/secret.txt",
    f"/{SOURCE}/..%2f..%2fsecret.txt",
    f"/{SOURCE}/media/..%5c..%5c..%5csecret.txt",
    f"/{SOURCE}/media%5c..%5c..%5clibrary.db",
    "/library.db",
    "/catalogs/" + SOURCE + ".json",
    f"/{SOURCE}/../library.db",
    f"/{SOURCE}/%2e%2e/library.db",
    "//etc/passwd",
    "/etc/passwd",
    "/%2fetc%2fpasswd",
    f"/{SOURCE}/%2fetc%2fpasswd",
    "/C:/Windows/win.ini",
    "/%00",
    f"/{SOURCE}/media/gravity.mp4%00.txt",
    f"/{SOURCE}/",
    f"/{SOURCE}/media/",
    f"/{SOURCE}//media/gravity.mp4",
    "/media/",
    "http://127.0.0.1/../secret.txt",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_nothing_outside_the_mirror_is_reachable(shared, path):
    status, body = raw_request(shared, path.encode())
    assert status in (400, 404)
    assert SECRET not in body and b"SQLite format" not in body


def test_raw_nul_backslash_and_absolute_paths(shared, tmp_path):
    secret = str(tmp_path / "secret.txt").encode()
    for target in (
        b"/x\x00/../secret.txt",
        b"\\..\\secret.txt",
        secret,
        b"/" + secret,
        b"/..\\..\\secret.txt",
    ):
        status, body = raw_request(shared, target)
        assert status in (400, 404), target
        assert SECRET not in body


def test_the_store_itself_is_not_browsable(shared):
    data = shared.files["media/gravity.mp4"]
    digest = sha(data)
    for path in (f"/media/{digest[:2]}/{digest}.mp4", f"/{SOURCE}/media/{digest[:2]}/{digest}.mp4"):
        assert request(shared, "GET", path)[0] == 404


def test_a_symlink_out_of_the_store_is_not_followed(shared, tmp_path):
    digest = sha(shared.files["media/gravity.mp4"])
    stored = shared.lib_dir / "media" / digest[:2] / f"{digest}.mp4"
    stored.unlink()
    stored.symlink_to(tmp_path / "secret.txt")
    status, _, body = request(shared, "GET", GRAVITY)
    assert status == 404 and SECRET not in body


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_and_head(shared, method):
    before = shared.files["media/gravity.mp4"]
    status, headers, _ = request(shared, method, GRAVITY, body=b"overwrite")
    assert status == 405 and headers["Allow"] == "GET, HEAD"
    assert request(shared, "GET", GRAVITY)[2] == before


def test_only_the_chosen_series_are_served(tmp_path, keypair):
    lib_dir, _, files = make_shared_library(tmp_path, *keypair)
    with RunningShare(lib_dir, port=0, series=["astronomy"]) as share:
        assert request(share, "GET", f"/{SOURCE}/media/stars.mp4")[2] == files["media/stars.mp4"]
        for href in ("media/gravity.mp4", "media/light.mp4", "media/gravity.en.vtt"):
            assert request(share, "GET", f"/{SOURCE}/{href}")[0] == 404, href
        # The catalog still comes whole: the client checks the publisher's signature on it.
        assert request(share, "GET", f"/{SOURCE}/catalog.json")[0] == 200


def test_a_share_follows_library_changes_without_blocking_writers(shared):
    shared.keeper.interval = 0
    digest = sha(shared.files["media/light.mp4"])
    assert request(shared, "GET", f"/{SOURCE}/media/light.mp4")[0] == 200
    # The share holds no write lock: a sync or import can run beside it.
    with open_library(shared.lib_dir) as lib:
        mark_absent(lib, [digest])
    assert request(shared, "GET", f"/{SOURCE}/media/light.mp4")[0] == 404
    assert request(shared, "GET", GRAVITY)[0] == 200


def _serve_process(lib_dir: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "player", "--library", str(lib_dir), "serve", "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_serve_command_starts_serves_and_stops_cleanly(tmp_path, keypair, sig):
    lib_dir, mirror, _ = make_shared_library(tmp_path, *keypair)
    proc = _serve_process(lib_dir, "--json", "--no-announce")
    try:
        started = json.loads(proc.stdout.readline())
        assert started["event"] == "started"
        assert started["url"].startswith("http://127.0.0.1:")
        assert started["sources"] == [f"{started['url']}{SOURCE}/"]
        conn = http.client.HTTPConnection(started["url"][len("http://") :].rstrip("/"), timeout=10)
        conn.request("GET", f"/{SOURCE}/catalog.json")
        assert conn.getresponse().read() == (mirror / "catalog.json").read_bytes()
        conn.close()
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    events = [json.loads(line) for line in out.splitlines()]
    assert events[-1]["event"] == "stopped"
    assert any(e["event"] == "request" and e["status"] == 200 for e in events)
    assert proc.returncode == 0, err


def test_serve_text_output_names_the_urls(tmp_path, keypair):
    lib_dir, _, _ = make_shared_library(tmp_path, *keypair)
    proc = _serve_process(lib_dir, "--no-announce")
    try:
        first = proc.stdout.readline()
        assert first.startswith("Sharing 1 source(s)")
        second = proc.stdout.readline()
        assert "lecture-player sources add http://127.0.0.1:" in second and SOURCE in second
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Stopped sharing." in out and proc.returncode == 0


def test_serve_refuses_a_missing_library(tmp_path):
    proc = _serve_process(tmp_path / "nowhere", "--no-announce")
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert "There is no library" in err
    assert not (tmp_path / "nowhere").exists()


def _exchange(port: int, data: bytes) -> bytes:
    """Send raw bytes; everything the share answers, up to the moment it closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        answer = b""
        while chunk := s.recv(65536):  # a share that never closes fails on the timeout
            answer += chunk
    return answer


def _get(path: str, *headers: bytes) -> bytes:
    return b"\r\n".join(
        [f"GET {path} HTTP/1.1".encode(), b"Host: x", *headers, b"Connection: close", b"", b""]
    )


def test_malformed_requests_get_a_status_line_and_no_traceback(tmp_path, keypair):
    lib_dir, _, files = make_shared_library(tmp_path, *keypair)
    proc = _serve_process(lib_dir, "--json", "--no-announce")
    try:
        port = int(json.loads(proc.stdout.readline())["url"].rsplit(":", 1)[1].strip("/"))
        digits = b"9" * 5000
        cases = [
            (b"\x00\xffnot http at all\r\n\r\n", 400),
            (b"GET / HTTP/9.x\r\n\r\n", 400),
            (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
            (_get("/", b"X-Huge: " + b"a" * 70_000), 431),
            (_get(GRAVITY, b"Range: bytes=" + digits + b"-"), 416),
            (_get(GRAVITY, b"Range: bytes=99999999999999999999-99999999999999999999999"), 416),
            (_get(GRAVITY, b"Range: bytes=1-" + digits), 206),  # past the end: clipped
            (_get(GRAVITY, b"Range: bytes=-" + digits), 206),  # longer than the file: all of it
            (_get(GRAVITY, "Range: bytes=\u00b2-".encode("latin-1")), 200),  # not a number: ignored
            (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + digits + b"\r\n\r\n", 405),
        ]
        for request_bytes, want in cases:
            answer = _exchange(port, request_bytes)
            status_line = answer.split(b"\r\n", 1)[0]
            assert status_line.startswith(f"HTTP/1.1 {want} ".encode()), (request_bytes[:60], answer[:200])
            if want >= 400:
                assert json.loads(answer.partition(b"\r\n\r\n")[2])["error"]
        answer = _exchange(port, _get(GRAVITY))
        assert answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(files["media/gravity.mp4"])
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Exception" not in err, err
    logged = [json.loads(line) for line in out.splitlines()]
    assert [e["status"] for e in logged if e["event"] == "request"] == [want for _, want in cases] + [200]
