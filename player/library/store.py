"""The content-addressed media store: `media/ab/abcdef….ext`, named by sha256.

A file enters the store only through `put_file`: copied to `tmp/…part` while hashing,
fsynced, checked against the expected hash and size, renamed into place, and the
folder fsynced. A file is marked present in the database only after that.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from player.errors import FetchError, PlayerError
from player.library.paths import LibraryPaths

CHUNK = 1 << 20


class HashMismatch(PlayerError):
    """A file's bytes do not match the catalog's sha256 or size."""


def fsync_dir(path: Path) -> None:
    if os.name == "nt":  # pragma: no cover - directories cannot be fsynced on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def put_file(
    paths: LibraryPaths,
    source: Path,
    sha256: str,
    size: int,
    ext: str,
    *,
    on_bytes: Callable[[int], None] | None = None,
) -> Path:
    """Copy `source` into the store after checking it; return the stored path."""
    final = paths.media_file(sha256, ext)
    if final.exists() and final.stat().st_size == size:
        return final
    paths.tmp.mkdir(parents=True, exist_ok=True)
    part = paths.tmp / f"{sha256}.{ext}.part"
    digest = hashlib.sha256()
    copied = 0
    try:
        with open(source, "rb") as src, open(part, "wb") as dst:
            while chunk := src.read(CHUNK):
                copied += len(chunk)
                if copied > size:
                    break
                digest.update(chunk)
                dst.write(chunk)
                if on_bytes:
                    on_bytes(len(chunk))
            dst.flush()
            os.fsync(dst.fileno())
    except FileNotFoundError:
        part.unlink(missing_ok=True)
        raise FetchError(
            f"{source} is missing from the mirror.", hint="Check the mirror, then sync again."
        ) from None
    except OSError:
        part.unlink(missing_ok=True)
        raise
    if copied != size or digest.hexdigest() != sha256:
        part.unlink(missing_ok=True)
        raise HashMismatch(
            f"{source} does not match the catalog (expected {size:,} bytes with sha256 {sha256[:12]}…).",
            hint="The mirror's copy is damaged or changed; get a fresh copy of the mirror.",
        )
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(part, final)
    fsync_dir(final.parent)
    return final
