"""Every kind of bad catalog ends in a clear error and leaves the library unchanged."""

from __future__ import annotations

import hashlib
import json

import pytest

from player.catalog import signing
from player.errors import CatalogError, ExpiredError, RollbackError, SignatureError
from player.library.sources import add_source
from tests.mirrors import base_catalog, write_mirror


def snapshot(lib) -> str:
    """A digest of every row in the library, to prove a refused import changed nothing."""
    dump = "\n".join(lib.db.conn.iterdump())
    return hashlib.sha256(dump.encode()).hexdigest()


@pytest.fixture
def imported(library, tmp_path, keypair):
    """A library that already holds version 2 of a signed catalog, with the key pinned."""
    private, public = keypair
    catalog, files = base_catalog(version=2)
    write_mirror(tmp_path / "m2", catalog, files, key_path=private)
    add_source(library, str(tmp_path / "m2"), pubkey=public)
    return library, catalog, files, private, public


def refused(lib, tmp_path, raw_or_dict, *, files=None, key=None, pubkey=None, exc=CatalogError, **kwargs):
    before = snapshot(lib)
    mirror = write_mirror(tmp_path / "bad", raw_or_dict, files, key_path=key)
    with pytest.raises(exc) as info:
        add_source(lib, str(mirror), pubkey=pubkey, **kwargs)
    assert snapshot(lib) == before
    return info.value


def test_not_json(library, tmp_path):
    err = refused(library, tmp_path, b"<html>Not found</html>")
    assert "not valid JSON" in err.message
    assert err.exit_code == 2


def test_wrong_format(library, tmp_path):
    catalog, _ = base_catalog()
    catalog["format"] = "lecture-catalog/9"
    err = refused(library, tmp_path, catalog)
    assert err.problems[0][0] == "$.format"
    assert "lecture-catalog/1" in str(err)


def test_missing_field_names_path(library, tmp_path):
    catalog, _ = base_catalog()
    del catalog["series"][0]["lectures"][1]["duration"]
    err = refused(library, tmp_path, catalog)
    assert ("$.series[0].lectures[1]", "'duration' is missing") in err.problems
    assert "$.series[0].lectures[1]" in err.message


def test_wrong_type_names_path(library, tmp_path):
    catalog, _ = base_catalog()
    catalog["series"][1]["lectures"][0]["video"][0]["size"] = "big"
    err = refused(library, tmp_path, catalog)
    assert err.problems[0][0] == "$.series[1].lectures[0].video[0].size"


def test_every_problem_is_listed(library, tmp_path):
    catalog, _ = base_catalog()
    catalog["version"] = "two"
    catalog["series"][0]["lectures"][0]["video"][0]["sha256"] = "XYZ"
    err = refused(library, tmp_path, catalog)
    paths = {p for p, _ in err.problems}
    assert {"$.version", "$.series[0].lectures[0].video[0].sha256"} <= paths


@pytest.mark.parametrize(
    "where",
    ["series", "lecture"],
)
def test_duplicate_ids(library, tmp_path, where):
    catalog, _ = base_catalog()
    if where == "series":
        catalog["series"][1]["id"] = "mechanics"
        expected = "$.series[1].id"
    else:
        catalog["series"][1]["lectures"][0]["id"] = "gravity"
        expected = "$.series[1].lectures[0].id"
    err = refused(library, tmp_path, catalog)
    assert err.problems[0][0] == expected
    assert "duplicate" in err.problems[0][1]


def test_duplicate_keys(library, tmp_path):
    catalog, _ = base_catalog()
    raw = json.dumps(catalog).replace('"duration": 900', '"duration": 900, "duration": 1')
    err = refused(library, tmp_path, raw.encode())
    assert err.problems[0] == (
        "$.series[1].lectures[0].duration",
        "the key 'duration' appears more than once in one object",
    )


def test_duplicate_keys_hidden_behind_escaped_colon(library, tmp_path):
    catalog, _ = base_catalog()
    catalog["series"][1]["description"] = "ratio 1:2"
    raw = (
        json.dumps(catalog)
        .replace("1:2", "1\\u003a2")
        .replace('"duration": 900', '"duration": 900, "duration": 1')
    )
    err = refused(library, tmp_path, raw.encode())
    assert "more than once" in err.problems[0][1]


def test_unknown_key_is_refused_but_extensions_pass(library, tmp_path):
    catalog, files = base_catalog()
    catalog["series"][0]["colour"] = "red"
    err = refused(library, tmp_path, catalog)
    assert err.problems[0] == ("$.series[0].colour", "unknown key 'colour'")
    catalog["series"][0].pop("colour")
    catalog["series"][0]["x-colour"] = "red"
    write_mirror(tmp_path / "ext", catalog, files)
    assert add_source(library, str(tmp_path / "ext")).added == 3


@pytest.mark.parametrize(
    ("href", "reason"),
    [
        ("../secret.mp4", "'..'"),
        ("media/../../secret.mp4", "'..'"),
        ("media/%2e%2e/%2e%2e/etc/passwd", "'..'"),
        ("/etc/passwd", "absolute filesystem path"),
        ("C:/Windows/win.ini", "absolute filesystem path"),
        ("media\\..\\x.mp4", "backslashes"),
        ("file:///etc/passwd", "scheme 'file:'"),
        ("javascript:alert(1)", "scheme 'javascript:'"),
        ("ftp://example.org/x.mp4", "scheme 'ftp:'"),
        ("//evil.example/x.mp4", "network-path"),
        ("data:video/mp4;base64,AAAA", "scheme 'data:'"),
    ],
)
def test_unsafe_hrefs(library, tmp_path, href, reason):
    catalog, _ = base_catalog()
    catalog["series"][0]["lectures"][1]["video"][0]["href"] = href
    err = refused(library, tmp_path, catalog)
    assert err.problems[0][0] == "$.series[0].lectures[1].video[0].href"
    assert reason in err.problems[0][1]


def test_http_hrefs_are_allowed(library, tmp_path):
    catalog, _ = base_catalog()
    catalog["series"][0]["lectures"][1]["video"][0]["href"] = "https://cdn.example.org/light.mp4"
    write_mirror(tmp_path / "m", catalog)
    assert add_source(library, str(tmp_path / "m")).added == 3


def test_over_size_limit(library, tmp_path):
    catalog, _ = base_catalog()
    raw = json.dumps(catalog).encode()
    err = refused(library, tmp_path, raw, max_bytes=len(raw) - 1)
    assert "over the limit" in err.message


def test_bad_signature(imported, tmp_path):
    lib, catalog, files, private, public = imported
    catalog["version"] = 3
    mirror = write_mirror(tmp_path / "tampered", catalog, files, key_path=private)
    catalog["title"] = "Tampered"
    raw = json.dumps(catalog).encode()
    (mirror / "catalog.json").write_bytes(raw)
    before = snapshot(lib)
    with pytest.raises(SignatureError, match="does not match the pinned key"):
        add_source(lib, str(mirror))
    assert snapshot(lib) == before


def test_missing_signature_when_pinned(imported, tmp_path):
    lib, catalog, files, _, _ = imported
    err = refused(lib, tmp_path, {**catalog, "version": 3}, files=files, exc=SignatureError)
    assert "no signature" in err.message


def test_signed_by_another_key(imported, tmp_path):
    lib, catalog, files, _, _ = imported
    other = tmp_path / "other.key"
    signing.generate_keypair(other)
    err = refused(lib, tmp_path, {**catalog, "version": 3}, files=files, key=other, exc=SignatureError)
    assert "pinned key" in err.message


def test_offering_another_key_for_a_pinned_source(imported, tmp_path):
    lib, catalog, files, _, _ = imported
    other = tmp_path / "other.key"
    other_pub = signing.generate_keypair(other).read_text().strip()
    err = refused(
        lib, tmp_path, {**catalog, "version": 3}, files=files, key=other, pubkey=other_pub, exc=SignatureError
    )
    assert "pinned to another key" in err.message


def test_rollback(imported, tmp_path):
    lib, catalog, files, private, _ = imported
    err = refused(lib, tmp_path, {**catalog, "version": 1}, files=files, key=private, exc=RollbackError)
    assert "older than the version 2" in err.message


def test_same_version_different_bytes(imported, tmp_path):
    lib, catalog, files, private, _ = imported
    err = refused(lib, tmp_path, {**catalog, "title": "Changed"}, files=files, key=private, exc=RollbackError)
    assert "same version 2" in err.message


def test_expired_is_refused_unless_allowed(library, tmp_path):
    catalog, files = base_catalog()
    catalog["expires"] = "2020-01-01T00:00:00Z"
    err = refused(library, tmp_path, catalog, files=files, exc=ExpiredError)
    assert "--allow-expired" in str(err)
    result = add_source(library, str(tmp_path / "bad"), allow_expired=True)
    assert result.added == 3
    assert any("expired" in w for w in result.warnings)


def test_missing_catalog_file(library, tmp_path):
    (tmp_path / "empty").mkdir()
    from player.errors import BadInput

    with pytest.raises(BadInput, match="no catalog.json"):
        add_source(library, str(tmp_path / "empty"))


def test_update_checks_changed_lectures_and_ids_across_unchanged_ones(imported, tmp_path):
    """A new version re-checks only changed lectures, so the checks must still catch
    problems there, and duplicates formed with unchanged lectures."""
    lib, catalog, files, private, _ = imported
    bad_href = json.loads(json.dumps(catalog))
    bad_href["version"] = 3
    bad_href["series"][0]["lectures"][1]["video"][0]["href"] = "../escape.mp4"
    err = refused(lib, tmp_path, bad_href, files=files, key=private)
    assert err.problems[0][0] == "$.series[0].lectures[1].video[0].href"

    repeated = json.loads(json.dumps(catalog))
    repeated["version"] = 3
    repeated["series"][1]["lectures"].append(repeated["series"][0]["lectures"][0])  # same bytes twice
    err = refused(lib, tmp_path, repeated, files=files, key=private)
    assert "duplicate lecture id 'gravity'" in err.problems[0][1]

    dup_key = json.loads(json.dumps(catalog))
    dup_key["version"] = 3
    raw = json.dumps(dup_key).replace('"duration": 1500.5', '"duration": 1500.5, "duration": 2')
    before = snapshot(lib)
    mirror = write_mirror(tmp_path / "dupkey", raw.encode(), files, key_path=private)
    with pytest.raises(CatalogError, match="more than once"):
        add_source(lib, str(mirror))
    assert snapshot(lib) == before


def deep_extension(catalog: dict, levels: int) -> bytes:
    """The catalog with an x- extension holding `levels` nested arrays, as JSON bytes."""
    raw = json.dumps({**catalog, "x-deep": "PLACEHOLDER"}, ensure_ascii=False, indent=1).encode()
    return raw.replace(b'"PLACEHOLDER"', b"[" * levels + b"]" * levels)


def test_deeply_nested_json_is_refused_before_decoding(library, tmp_path):
    catalog, _ = base_catalog()
    err = refused(library, tmp_path, deep_extension(catalog, 990))
    assert "nested more than 64 levels deep" in err.message and "catalog.json" in err.message
    assert err.problems == [("$", "nested more than 64 levels deep")]
    assert err.exit_code == 2
    # Brackets inside strings are text, and nesting up to the limit is a catalog like any other.
    catalog["x-text"] = "[" * 5000 + '\\"{' * 100
    write_mirror(tmp_path / "ok", deep_extension(catalog, 60))
    assert add_source(library, str(tmp_path / "ok")).added == 3


def test_deeply_nested_catalog_through_the_command_line(tmp_path, keypair):
    import subprocess
    import sys

    from tests.test_bundle_export import ROOT

    private, public = keypair
    catalog, _ = base_catalog()
    for levels in (990, 100_000):
        mirror = write_mirror(tmp_path / f"m{levels}", deep_extension(catalog, levels), key_path=private)
        for key in ([], ["--pubkey", public]):
            done = subprocess.run(
                [sys.executable, "-m", "player", "--library", str(tmp_path / "lib"), "sources", "add",
                 str(mirror), *key],
                capture_output=True, text=True, cwd=ROOT, timeout=120,
            )  # fmt: skip
            assert done.returncode == 2, done.stderr
            assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr
            assert done.stderr.startswith("lecture-player: The catalog (catalog.json) is nested more than 64")
            assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("where", "value", "path", "why"),
    [
        ("expires", "2020-01-01T00:00:00+99:99", "$.expires", "is not an RFC 3339 date and time"),
        ("expires", "2031-02-29T00:00:00Z", "$.expires", "day is out of range for month"),
        ("published", "2026-02-30T08:00:00Z", "$.published", "day is out of range for month"),
        ("lecture", "2026-02-30", "$.series[0].lectures[1].published", "day is out of range for month"),
        ("lecture", "2026-13-01", "$.series[0].lectures[1].published", "month must be in 1..12"),
        ("lecture", "2026-01-05T10:00:00+05:60", "$.series[0].lectures[1].published", "is not a date"),
    ],
)
def test_impossible_dates_are_refused_at_their_path(library, tmp_path, where, value, path, why):
    catalog, _ = base_catalog()
    if where == "lecture":
        catalog["series"][0]["lectures"][1]["published"] = value
    else:
        catalog[where] = value
    err = refused(library, tmp_path, catalog)
    assert err.problems[0][0] == path and why in err.problems[0][1], err.problems
    assert err.message.startswith(f"The catalog is invalid at {path}: '{value}'")
    assert err.exit_code == 2


def test_real_dates_pass(library, tmp_path):
    catalog, _ = base_catalog()
    catalog["expires"] = "2099-12-31T23:59:59.123456789-23:59"
    catalog["series"][0]["lectures"][1]["published"] = "2024-02-29"
    write_mirror(tmp_path / "ok", catalog)
    assert add_source(library, str(tmp_path / "ok")).added == 3


def test_an_integer_too_long_to_convert_is_an_error_not_a_crash(library, tmp_path):
    catalog, _ = base_catalog()
    catalog["version"] = "HUGE"
    raw = json.dumps(catalog, indent=1).encode().replace(b'"HUGE"', b"1" + b"0" * 5000)
    err = refused(library, tmp_path, raw)
    assert err.problems[0][0] == "$.version"
    # In an x- extension it is left alone, like any extension.
    catalog, _ = base_catalog()
    catalog["x-big"] = "HUGE"
    raw = json.dumps(catalog, indent=1).encode().replace(b'"HUGE"', b"1" + b"0" * 5000)
    write_mirror(tmp_path / "ok", raw)
    assert add_source(library, str(tmp_path / "ok")).added == 3
