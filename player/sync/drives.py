"""Removable drives that carry a mirror: how a study centre brings lectures on a USB stick."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from player.bundle.layout import BUNDLE_NAME
from player.catalog.mirror import CATALOG_NAME


@dataclass(frozen=True)
class DriveMirror:
    path: Path  # the folder holding catalog.json
    drive: Path  # the mount point it was found under


def mount_roots(user: str | None = None) -> list[Path]:
    """Where desktops mount removable drives: udisks under /media and /run/media, and /mnt."""
    user = user or os.environ.get("USER") or getpass.getuser()
    return [Path("/media") / user, Path("/run/media") / user, Path("/media"), Path("/mnt")]


def find_drive_mirrors(roots: Iterable[Path] | None = None) -> list[DriveMirror]:
    """Mirrors on mounted drives: a catalog.json at a drive's top or one folder down.

    Only two levels are looked at, so a large drive is not walked from the GUI's worker.
    """
    found: dict[Path, DriveMirror] = {}
    for root in roots if roots is not None else mount_roots():
        for drive in subfolders(root):
            for folder in (drive, *subfolders(drive)):
                if (folder / CATALOG_NAME).is_file():
                    real = folder.resolve()
                    found.setdefault(real, DriveMirror(folder, drive))
    return sorted(found.values(), key=lambda m: str(m.path))


def subfolders(folder: Path) -> list[Path]:
    """The visible folders in `folder`, sorted; none if it cannot be read."""
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:  # not there, not readable, or a drive pulled out while we looked
        return []


def find_drive_bundles(roots: Iterable[Path] | None = None) -> list[Path]:
    """Bundles on mounted drives: a bundle.json at a drive's top or one folder down.

    Like `find_drive_mirrors`, only two levels are looked at.
    """
    found: dict[Path, Path] = {}
    for root in roots if roots is not None else mount_roots():
        for drive in subfolders(root):
            for folder in (drive, *subfolders(drive)):
                if (folder / BUNDLE_NAME).is_file():
                    found.setdefault(folder.resolve(), folder)
    return sorted(found.values(), key=str)
