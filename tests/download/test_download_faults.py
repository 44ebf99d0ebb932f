"""One test per way a server can misbehave. Each ends with the right file in place,
hash verified and part file gone, or with a clear error and nothing in place."""

from __future__ import annotations

import dataclasses
import socket
import time
from email.utils import formatdate

import pytest

from player.library.store import HashMismatch
from player.sync.errors import DownloadFailed, FileGone, RedirectError
from tests.download.case import FAST, SIZE, Case
from tests.faultserver import FaultServer, sample_bytes


def gap(server: FaultServer, path: str) -> float:
    first, second = server.requests(path)[:2]
    return second.at - first.at


# -- broken bodies ---------------------------------------------------------------------


def test_dropped_connection_resumes_where_it_stopped(case, client, server):
    server.set_fault(case.path, "drop_mid_body", times=1, after=10_000)
    case.assert_in_place(case.run(client))
    first, second = server.requests()
    assert first.sent == 10_000
    assert second.range == "bytes=10000-" and second.if_range == server.served(case.path).etag
    assert second.sent == case.size - 10_000


def test_body_shorter_than_content_length_resumes(case, client, server):
    server.set_fault(case.path, "short_body", times=1, missing=100)
    case.assert_in_place(case.run(client))
    assert server.requests()[1].range == f"bytes={case.size - 100}-"


def test_body_longer_than_content_length_is_cut_at_the_length(case, client, server, tmp_path):
    server.set_fault(case.path, "long_body", extra=5000)
    result = case.run(client)
    case.assert_in_place(result)
    assert result.transferred == case.size and server.requests()[0].sent == case.size + 5000
    # The junk left on that connection must not leak into the next download.
    other = Case.serve(server, tmp_path / "other", path="/g.bin", seed=1)
    other.assert_in_place(other.run(client))


def test_reset_connection_resumes(case, client, server):
    server.set_fault(case.path, "reset", times=1, after=100_000)
    case.assert_in_place(case.run(client))
    resumed = server.requests()[1]
    # Bytes in flight when the RST arrives are lost, so the client resumes at or before 100 kB.
    start = int(resumed.range.removeprefix("bytes=").rstrip("-"))
    assert 0 < start <= 100_000 and resumed.status == 206


def test_reset_fault_really_sends_rst(server, case):
    server.set_fault(case.path, "reset", after=1000)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET /f.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        with pytest.raises(ConnectionResetError):
            while sock.recv(65536):
                pass


def test_endless_body_is_never_read_past_the_catalog_size(case, client, server):
    server.set_fault(case.path, "endless", times=1)
    reported: list[int] = []
    result = case.run(client, on_bytes=reported.append)
    case.assert_in_place(result)
    assert result.transferred == case.size and sum(reported) == case.size
    endless, check = server.requests()
    assert endless.sent > case.size  # the server did send more; none of it was kept
    # The kept bytes already make the whole file: the server's 416 confirms it, then the hash.
    assert check.range == f"bytes={case.size}-" and check.status == 416


def test_corrupted_byte_retries_once_from_zero(case, client, server):
    server.set_fault(case.path, "corrupt", times=1, offset=1234)
    result = case.run(client)
    case.assert_in_place(result)
    assert [r.range for r in server.requests()] == [None, None]
    assert result.transferred == 2 * case.size


def test_corrupted_byte_every_time_fails_and_leaves_nothing(case, client, server):
    server.set_fault(case.path, "corrupt", offset=1234)
    with pytest.raises(HashMismatch, match="does not match the catalog"):
        case.run(client)
    assert len(server.requests()) == 2
    case.assert_nothing_in_place()
    assert not case.part.exists() and not case.meta.exists()


# -- ranges the server gets wrong ------------------------------------------------------


def test_server_ignoring_range_restarts_from_zero(case, client, server):
    case.seed_part(client, 100_000)
    server.set_fault(case.path, "ignore_range")
    result = case.run(client)
    case.assert_in_place(result)
    restarted = server.requests()[-1]
    assert restarted.range == "bytes=100000-" and restarted.status == 200
    assert result.restarts == 1 and result.transferred == case.size


def test_changed_etag_restarts_from_zero(case, client, server):
    server.set_fault(case.path, "change_etag")
    server.set_fault(case.path, "drop_mid_body", times=1, after=50_000)
    result = case.run(client)
    case.assert_in_place(result)
    first, second = server.requests()
    assert second.if_range == '"changed-1"' and second.status == 200
    assert result.restarts == 1


def test_file_replaced_on_server_between_runs_restarts_from_zero(server, client, tmp_path):
    old, new = sample_bytes(SIZE, seed=1), sample_bytes(SIZE, seed=2)
    # The catalog already lists the new file while the server still has the old one...
    server.add_file("/f.bin", old)
    case = Case(server, "/f.bin", new, tmp_path)
    case.seed_part(client, 100_000)
    old_etag = server.served("/f.bin").etag
    # ...until the publisher uploads the new one: its ETag no longer matches the part file's.
    server.add_file("/f.bin", new)
    result = case.run(client)
    case.assert_in_place(result)
    asked = server.requests()[-1]
    assert asked.range == "bytes=100000-" and asked.if_range == old_etag
    assert asked.status == 200 and result.restarts == 1


def test_part_file_of_another_file_is_not_resumed(server, client, tmp_path):
    other = Case.serve(server, tmp_path, path="/other.bin", seed=1)
    other.seed_part(client, 100_000)
    case = Case.serve(server, tmp_path)
    case.part.parent.mkdir(parents=True, exist_ok=True)
    other.part.rename(case.part)  # its .meta names the other file's sha256
    other.meta.rename(case.meta)
    case.assert_in_place(case.run(client))
    assert server.requests(case.path)[-1].range is None


@pytest.mark.parametrize(
    ("fault", "options"), [("wrong_offset", {"shift": 7}), ("wrong_total", {"extra": 1})]
)
def test_bad_partial_response_is_retried(case, client, server, fault, options):
    case.seed_part(client, 100_000)
    server.set_fault(case.path, fault, times=1, **options)
    result = case.run(client)
    case.assert_in_place(result)
    bad, good = server.requests()[-2:]
    assert bad.status == good.status == 206 and bad.range == good.range == "bytes=100000-"
    assert result.restarts == 0


@pytest.mark.parametrize(("fault", "options", "reason"), [
    ("wrong_offset", {"shift": 7}, "resumed at byte 100,007 instead of 100,000"),
    ("wrong_total", {"extra": 1}, "says the file has 262,145 bytes"),
])  # fmt: skip
def test_bad_partial_response_every_time_fails_clearly(case, client, server, fault, options, reason):
    case.seed_part(client, 100_000)
    server.set_fault(case.path, fault, **options)
    with pytest.raises(DownloadFailed, match=reason):
        case.run(client)
    case.assert_nothing_in_place()
    # Nothing from the bad answers was written: the part still holds just the good bytes.
    assert case.part.read_bytes() == case.data[:100_000]


def test_416_with_complete_part_file_is_verified_without_download(case, client, server):
    case.seed_part(client, case.size)
    result = case.run(client)
    case.assert_in_place(result)
    asked = server.requests()[-1]
    assert asked.range == f"bytes={case.size}-" and asked.status == 416
    assert result.transferred == 0 and result.requests == 1


def test_416_with_complete_but_damaged_part_file_downloads_again(case, client, server):
    case.seed_part(client, case.size)
    damaged = bytearray(case.part.read_bytes())
    damaged[500] ^= 0xFF
    case.part.write_bytes(damaged)
    result = case.run(client)
    case.assert_in_place(result)
    assert [r.status for r in server.requests()[-2:]] == [416, 200]


def test_416_for_a_partial_part_file_restarts_from_zero(case, client, server):
    case.seed_part(client, 100_000)
    server.set_fault(case.path, "status", times=1, code=416)
    result = case.run(client)
    case.assert_in_place(result)
    refused, fresh = server.requests()[-2:]
    assert refused.range == "bytes=100000-" and refused.status == 416
    assert fresh.range is None and fresh.status == 200 and result.restarts == 1


# -- statuses ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", [429, 503])
def test_retry_after_seconds_is_honoured(case, client, server, code):
    server.set_fault(case.path, "status", times=1, code=code, retry_after=1)
    case.assert_in_place(case.run(client))
    assert [r.status for r in server.requests()] == [code, 200]
    assert gap(server, case.path) >= 0.95  # not the 10 ms backoff the policy would pick


def test_retry_after_http_date_is_honoured(case, client, server):
    # HTTP dates have whole seconds: this asks for a wait of between 1 and 2 s.
    when = formatdate(int(time.time()) + 2, usegmt=True)
    server.set_fault(case.path, "status", times=1, code=503, retry_after=when)
    case.assert_in_place(case.run(client))
    assert gap(server, case.path) >= 0.95


def test_absurd_retry_after_is_capped(case, client, server):
    server.set_fault(case.path, "status", times=1, code=429, retry_after=999999)
    policy = dataclasses.replace(FAST, retry_after_cap=0.3)
    case.assert_in_place(case.run(client, policy=policy))
    assert 0.25 <= gap(server, case.path) < 5


def test_server_error_is_retried_until_it_recovers(case, client, server):
    server.set_fault(case.path, "status", times=2, code=500)
    case.assert_in_place(case.run(client))
    assert [r.status for r in server.requests()] == [500, 500, 200]


def test_server_error_every_time_gives_up_clearly(case, client, server):
    server.set_fault(case.path, "status", code=500)
    with pytest.raises(DownloadFailed, match=r"HTTP 500 \(gave up after 4 attempts"):
        case.run(client)
    assert len(server.requests()) == FAST.max_attempts
    case.assert_nothing_in_place()


@pytest.mark.parametrize("code", [404, 410])
def test_missing_file_fails_at_once(case, client, server, code):
    server.set_fault(case.path, "status", code=code)
    with pytest.raises(FileGone, match=f"HTTP {code}") as caught:
        case.run(client)
    assert case.url in str(caught.value) and caught.value.status == code
    assert len(server.requests()) == 1
    case.assert_nothing_in_place()
    assert not case.part.exists()


# -- redirects ---------------------------------------------------------------------------


def test_redirect_is_followed(case, client, server):
    server.set_fault("/old.bin", "redirect", to=case.path)
    moved = dataclasses.replace(case, path="/old.bin")
    result = moved.run(client)
    assert result.done and case.final.read_bytes() == case.data
    assert [r.path for r in server.requests()] == ["/old.bin", case.path]


def test_redirect_keeps_the_range_header(case, client, server):
    case.seed_part(client, 100_000)
    server.set_fault("/old.bin", "redirect", to=case.path)
    dataclasses.replace(case, path="/old.bin").run(client)
    assert case.final.read_bytes() == case.data
    assert server.requests(case.path)[-1].range == "bytes=100000-"


def test_redirect_loop_fails_clearly(case, client, server):
    server.set_fault("/a", "redirect", to="/b")
    server.set_fault("/b", "redirect", to="/a")
    looping = dataclasses.replace(case, path="/a")
    with pytest.raises(RedirectError, match="redirects in a loop"):
        looping.run(client)
    assert [r.path for r in server.requests()] == ["/a", "/b"]  # no retries
    case.assert_nothing_in_place()


def test_too_many_redirects_fail_clearly(case, client, server):
    for hop in range(10):
        server.set_fault(f"/hop{hop}", "redirect", to=f"/hop{hop + 1}")
    with pytest.raises(RedirectError, match="more than 5 times"):
        dataclasses.replace(case, path="/hop0").run(client)
    assert len(server.requests()) == FAST.max_redirects + 1
    case.assert_nothing_in_place()


# -- slow and silent servers -------------------------------------------------------------


def test_trickle_below_low_speed_limit_is_dropped_and_resumed(case, client, server):
    server.set_fault(case.path, "trickle", times=1, after=20_000, rate=2000, piece=100)
    policy = dataclasses.replace(FAST, min_rate=50_000, low_speed_time=0.3)
    started = time.monotonic()
    case.assert_in_place(case.run(client, policy=policy))
    slow, resumed = server.requests()
    start = int(resumed.range.removeprefix("bytes=").rstrip("-"))
    assert start == slow.sent >= 20_000
    # Left after about 0.3 s; finishing the trickle would have taken two minutes.
    assert time.monotonic() - started < 5


def test_blackhole_times_out_and_retries(case, client, server):
    server.set_fault(case.path, "blackhole", times=1)
    policy = dataclasses.replace(FAST, read_timeout=0.3)
    case.assert_in_place(case.run(client, policy=policy))
    hung, answered = server.requests()
    assert hung.status is None and answered.status == 200
    assert gap(server, case.path) >= 0.3


def test_blackhole_every_time_fails_clearly(case, client, server):
    server.set_fault(case.path, "blackhole")
    policy = dataclasses.replace(FAST, read_timeout=0.2, max_attempts=2)
    with pytest.raises(DownloadFailed, match="did not answer in time"):
        case.run(client, policy=policy)
    assert len(server.requests()) == 2
    case.assert_nothing_in_place()
