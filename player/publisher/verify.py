"""Check a mirror the way a reader would: the catalog, every file it names, the signature.

Problems come back as (where, message); `where` is the JSON path into catalog.json, or
the signature file's name. Files are looked up through the raw JSON rather than the
parsed catalog, so a catalog with schema problems still gets its files checked.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from player import httppolicy, jsondepth
from player.catalog import hrefs
from player.catalog.mirror import SIGNATURE_NAME, USER_AGENT, LocalMirror, Mirror, open_mirror
from player.catalog.parse import parse_catalog, schema_problems
from player.catalog.signing import parse_public_key, verify
from player.errors import BadInput, CatalogError, SignatureError
from player.publisher.place import sha256_file

# Media files: the timeouts and the low-speed rule of a download, with no overall deadline.
_MEDIA = httppolicy.HttpPolicy()


@dataclass
class VerifyReport:
    location: str
    problems: list[tuple[str, str]] = field(default_factory=list)
    # "valid", "invalid", "unsigned" (no .sig, no key asked), or "unchecked" (.sig, no key).
    signature: str = "unsigned"
    catalog_id: str | None = None
    version: int | None = None
    series: int = 0
    lectures: int = 0
    files: int = 0
    bytes: int = 0


def verify_mirror(location: str, pubkey: str | None = None) -> list[tuple[str, str]]:
    """Every problem found in the mirror at `location` (empty when it is sound)."""
    return check_mirror(location, pubkey).problems


def check_mirror(location: str, pubkey: str | None = None) -> VerifyReport:
    """Check the mirror; raises BadInput (or a subclass) if its catalog cannot be read as JSON."""
    key_hex = parse_public_key(pubkey) if pubkey else None
    mirror = open_mirror(location)
    files = mirror.read_catalog()
    report = VerifyReport(location=mirror.location)
    try:
        tree = jsondepth.loads(files.raw, "catalog.json")
    except (ValueError, UnicodeDecodeError, BadInput):
        parse_catalog(files.raw)  # raises the CatalogError that says where the JSON breaks
        raise
    report.problems.extend(_catalog_problems(files.raw))
    if isinstance(tree, dict):
        report.catalog_id = tree.get("id") if isinstance(tree.get("id"), str) else None
        report.version = tree.get("version") if isinstance(tree.get("version"), int) else None
    _check_files(mirror, tree, report)
    _check_signature(files.raw, files.signature, key_hex, report)
    return report


def _catalog_problems(raw: bytes) -> list[tuple[str, str]]:
    try:
        parse_catalog(raw)
    except CatalogError as exc:
        found = schema_problems(raw)
        found += [p for p in exc.problems if p not in found]
        return found or [("$", exc.message)]
    return []


def _file_entries(tree: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    series = tree.get("series") if isinstance(tree, dict) else None
    for si, s in enumerate(series if isinstance(series, list) else []):
        if not isinstance(s, dict):
            continue
        if isinstance(s.get("poster"), dict):
            yield f"$.series[{si}].poster", s["poster"]
        lectures = s.get("lectures")
        for li, lecture in enumerate(lectures if isinstance(lectures, list) else []):
            if not isinstance(lecture, dict):
                continue
            where = f"$.series[{si}].lectures[{li}]"
            for name in ("video", "subtitles"):
                listed = lecture.get(name)
                for i, entry in enumerate(listed if isinstance(listed, list) else []):
                    if isinstance(entry, dict):
                        yield f"{where}.{name}[{i}]", entry
            if isinstance(lecture.get("thumbnail"), dict):
                yield f"{where}.thumbnail", lecture["thumbnail"]


def _count(tree: Any, report: VerifyReport) -> None:
    series = tree.get("series") if isinstance(tree, dict) else None
    if isinstance(series, list):
        report.series = len(series)
        report.lectures = sum(
            len(s["lectures"]) for s in series if isinstance(s, dict) and isinstance(s.get("lectures"), list)
        )


def _check_files(mirror: Mirror, tree: Any, report: VerifyReport) -> None:
    _count(tree, report)
    wanted: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for where, entry in _file_entries(tree):
        href = entry.get("href")
        if not isinstance(href, str) or hrefs.href_problem(href):
            continue  # the catalog checks already name it
        try:
            location = mirror.resolve(href)
        except BadInput as exc:
            report.problems.append((f"{where}.href", exc.message))
            continue
        wanted.setdefault(location, []).append((where, entry))
    report.files = len(wanted)
    client = None if isinstance(mirror, LocalMirror) else _client()
    try:
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            found = dict(zip(wanted, pool.map(lambda loc: _measure(loc, client), wanted), strict=True))
    finally:
        if client is not None:
            client.close()
    for location, entries in wanted.items():
        size, digest, error = found[location]
        report.bytes += size or 0
        for where, entry in entries:
            href = entry["href"]
            if error:
                report.problems.append((f"{where}.href", f"{href}: {error}"))
            elif entry.get("size") != size:
                report.problems.append(
                    (f"{where}.size", f"{href} is {size:,} bytes; the catalog says {entry.get('size')!r}")
                )
            elif entry.get("sha256") != digest:
                report.problems.append(
                    (f"{where}.sha256", f"{href} has sha256 {digest}; the catalog says otherwise")
                )


def _client() -> httpx.Client:
    return httppolicy.client(_MEDIA)


def _measure(location: str, client: httpx.Client | None) -> tuple[int | None, str | None, str | None]:
    """(size, sha256, error) of a local file or an http(s) URL."""
    if hrefs.is_remote(location):
        return _measure_url(location, client or _client())
    try:
        size = os.path.getsize(location)
        return size, sha256_file(location), None
    except FileNotFoundError:
        return None, None, "the file is missing"
    except IsADirectoryError:
        return None, None, "this is a folder, not a file"
    except OSError as exc:
        return None, None, f"cannot read it ({exc.strerror})"


def _measure_url(url: str, client: httpx.Client) -> tuple[int | None, str | None, str | None]:
    digest, size = hashlib.sha256(), 0
    try:
        with httppolicy.fetch(client, url, policy=_MEDIA, headers={"User-Agent": USER_AGENT}) as exchange:
            if exchange.response.status_code != 200:
                return None, None, f"the server answered HTTP {exchange.response.status_code}"
            for chunk in exchange.chunks():
                digest.update(chunk)
                size += len(chunk)
    except httppolicy.TooSlow as exc:
        return None, None, f"cannot fetch it ({exc})"
    except httpx.HTTPError as exc:
        return None, None, f"cannot fetch it ({exc.__class__.__name__})"
    return size, digest.hexdigest(), None


def _check_signature(raw: bytes, signature: bytes | None, key_hex: str | None, report: VerifyReport) -> None:
    if key_hex is None:
        report.signature = "unsigned" if signature is None else "unchecked"
        return
    try:
        verify(raw, signature, key_hex)
    except SignatureError as exc:
        report.signature = "invalid"
        report.problems.append((SIGNATURE_NAME, exc.message))
        return
    report.signature = "valid"
