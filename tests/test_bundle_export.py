"""`lecture-player export`: a bundle is a signed mirror holding only the chosen series.

Real libraries, real subprocesses of the command line, a real tmpfs for the full drive
(where mounting is allowed) and SIGKILL in the middle of an export.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.mirrors import base_catalog, one_series_catalog, sha, sync_from_local_mirrors, write_mirror

ROOT = Path(__file__).resolve().parent.parent


def cli(lib: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "player", "--library", str(lib), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


def file_sha(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def synced_library(lib_dir: Path, mirror: Path, pubkey: str | None, series: list[str]) -> None:
    """A library that follows `mirror` (key pinned when given) and holds these series."""
    from player.library.db import open_library
    from player.library.kept import keep_series
    from player.library.sources import add_source

    with open_library(lib_dir, install_sample=False) as lib:
        result = add_source(lib, str(mirror), pubkey=pubkey)
        for series_id in series:
            keep_series(lib, result.source_id, series_id)
        sync_from_local_mirrors(lib)


def physics_library(tmp_path: Path, keypair) -> tuple[Path, Path, dict, dict[str, bytes]]:
    """The two-series physics catalog, signed, synced into a library: (lib, mirror, catalog, files)."""
    private, public = keypair
    catalog, files = base_catalog()
    mirror = write_mirror(tmp_path / "www", catalog, files, key_path=private)
    lib = tmp_path / "lib"
    synced_library(lib, mirror, public, ["mechanics", "astronomy"])
    return lib, mirror, catalog, files


def big_library(tmp_path: Path, keypair, n: int, size: int, source_id: str = "org.example.big"):
    """One series of `n` random videos of `size` bytes, signed and synced: (lib, mirror, files)."""
    private, public = keypair
    rng = random.Random(n * size)
    files = {f"media/v{i}.mp4": rng.randbytes(size) for i in range(n)}
    catalog = one_series_catalog([(h, sha(d), len(d)) for h, d in files.items()], source_id)
    mirror = write_mirror(tmp_path / f"www-{source_id}", catalog, files, key_path=private)
    lib = tmp_path / "lib"
    synced_library(lib, mirror, public, ["big"])
    return lib, mirror, files


def part_bytes(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # renamed into place meanwhile
        return 0


ATTEMPTS = 5


def kill_once_a_part_file_has_bytes(proc: subprocess.Popen, folder: Path, pattern: str) -> bool:
    """SIGKILL `proc` at a moment it holds a non-empty part file in `folder`.

    At each progress event the process is frozen with SIGSTOP and the folder looked at:
    killed if a part file has bytes, else let go on. So the moment is one the process
    itself reached, whatever the speed of this machine.
    """
    for line in proc.stdout:
        if json.loads(line)["event"] not in ("bytes", "file_started"):
            continue
        os.kill(proc.pid, signal.SIGSTOP)
        if any(part_bytes(p) > 0 for p in folder.rglob(pattern)):
            os.kill(proc.pid, signal.SIGKILL)
            return True
        os.kill(proc.pid, signal.SIGCONT)
    return False


def kill_mid_copy(argv: list[str], folder: Path, pattern: str, reset: Callable[[], None]) -> bool:
    """Run `argv` and SIGKILL it while it holds a part file with bytes in `folder`.

    The event that shows a part file reaches us a moment after the process wrote it, and a
    small file may be finished by then; such a run starts again from `reset()`, a few times.
    """
    for _ in range(ATTEMPTS):
        reset()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
        killed = kill_once_a_part_file_has_bytes(proc, folder, pattern)
        proc.wait(timeout=60)
        proc.stdout.close()
        if killed:
            assert proc.returncode == -signal.SIGKILL
            return True
    return False


def signed_size(mirror: Path) -> int:
    return (mirror / "catalog.json").stat().st_size + (mirror / "catalog.json.sig").stat().st_size


def bundle_files(dest: Path) -> set[str]:
    """Every media file in a bundle, as a path relative to it."""
    return {
        p.relative_to(dest).as_posix()
        for p in dest.rglob("*")
        if p.is_file() and p.name not in ("catalog.json", "catalog.json.sig", "bundle.json")
    }


def test_export_of_chosen_series_is_a_signed_mirror_with_only_their_media(tmp_path, keypair):
    lib, mirror, catalog, files = physics_library(tmp_path, keypair)
    dest = tmp_path / "usb" / "bundle"
    done = cli(lib, "export", str(dest), "--series", "mechanics")
    assert done.returncode == 0, done.stderr
    assert "4 file(s) copied" in done.stdout

    # The publisher's catalog and signature, byte for byte.
    assert (dest / "catalog.json").read_bytes() == (mirror / "catalog.json").read_bytes()
    assert (dest / "catalog.json.sig").read_bytes() == (mirror / "catalog.json.sig").read_bytes()
    # Only the media of mechanics, each at its href with the catalog's bytes.
    mechanics = {"media/gravity.mp4", "media/gravity.en.vtt", "media/gravity.zh.vtt", "media/light.mp4"}
    assert bundle_files(dest) == mechanics
    for href in mechanics:
        assert (dest / href).read_bytes() == files[href]

    manifest = json.loads((dest / "bundle.json").read_text())
    assert manifest["format"] == "lecture-bundle/1"
    assert manifest["files"] == 4
    assert manifest["bytes"] == sum(len(files[h]) for h in mechanics)
    (source,) = manifest["sources"]
    assert source["id"] == "org.example.physics"
    assert source["folder"] == "."
    assert source["series"] == ["mechanics"]
    assert source["files"] == 4 and source["bytes"] == manifest["bytes"]
    assert source["pubkey"] == keypair[1]

    # `catalog verify` finds the signature valid and every file of mechanics sound; the
    # only problems are the files of astronomy, which the bundle leaves out on purpose.
    checked = cli(lib, "catalog", "verify", str(dest), "--pubkey", keypair[1])
    problems = [line for line in checked.stdout.splitlines() + checked.stderr.splitlines() if "$." in line]
    assert problems, checked.stdout + checked.stderr
    assert all("series[1]" in line and "missing" in line for line in problems), problems


def test_export_of_every_file_of_a_catalog_verifies_clean(tmp_path, keypair):
    lib, mirror, files = big_library(tmp_path, keypair, 3, 10_000)
    dest = tmp_path / "bundle"
    assert cli(lib, "export", str(dest), "--all-kept").returncode == 0
    checked = cli(lib, "catalog", "verify", str(dest), "--pubkey", keypair[1])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert bundle_files(dest) == set(files)


def test_several_sources_get_one_folder_each(tmp_path, keypair):
    from player.library.db import open_library
    from player.library.kept import keep_series
    from player.library.sources import add_source

    lib, mirror, catalog, files = physics_library(tmp_path, keypair)
    big_catalog = one_series_catalog([("media/x.mp4", sha(b"x" * 500), 500)], "org.example.other")
    other = write_mirror(tmp_path / "other", big_catalog, {"media/x.mp4": b"x" * 500})
    with open_library(lib, install_sample=False) as library:
        add_source(library, str(other))
        keep_series(library, "org.example.other", "big")
        sync_from_local_mirrors(library)
    dest = tmp_path / "bundle"
    done = cli(lib, "export", str(dest), "--series", "astronomy", "org.example.other/big", "--json")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((dest / "bundle.json").read_text())
    assert [(s["id"], s["folder"], s["series"]) for s in manifest["sources"]] == [
        ("org.example.physics", "org.example.physics", ["astronomy"]),
        ("org.example.other", "org.example.other", ["big"]),
    ]
    assert bundle_files(dest) == {"org.example.physics/media/stars.mp4", "org.example.other/media/x.mp4"}
    assert (dest / "org.example.other" / "catalog.json").read_bytes() == (other / "catalog.json").read_bytes()
    assert not (dest / "org.example.other" / "catalog.json.sig").exists()  # it was never signed
    events = [json.loads(line)["event"] for line in done.stdout.splitlines()]
    assert events[0] == "bundle" and events[-1] == "finished"
    assert events.count("file_done") == 2


def test_resume_skips_verified_files_and_copies_a_corrupted_one_again(tmp_path, keypair):
    lib, mirror, catalog, files = physics_library(tmp_path, keypair)
    dest = tmp_path / "bundle"
    assert cli(lib, "export", str(dest), "--series", "mechanics").returncode == 0
    kept = (dest / "media/gravity.mp4").stat().st_ino
    damaged = dest / "media/light.mp4"
    data = bytearray(damaged.read_bytes())
    data[10] ^= 0xFF  # same size, other bytes: only the hash can tell
    damaged.write_bytes(bytes(data))

    again = cli(lib, "export", str(dest), "--series", "mechanics", "--json")
    assert again.returncode == 0, again.stderr
    events = [json.loads(line) for line in again.stdout.splitlines()]
    started = [e["name"] for e in events if e["event"] == "file_started"]
    assert started == ["media/light.mp4"]
    finished = events[-1]
    assert finished["event"] == "finished" and finished["files_skipped"] == 3 and finished["files_done"] == 1
    assert damaged.read_bytes() == files["media/light.mp4"]
    assert (dest / "media/gravity.mp4").stat().st_ino == kept  # verified, left alone


def huge_library(tmp_path: Path) -> tuple[Path, str]:
    """A library holding one 4 GiB file (sparse on disk; its bytes are never read here)."""
    from player.catalog.mirror import LocalMirror
    from player.library.db import open_library
    from player.library.importer import import_catalog
    from player.library.kept import keep_series
    from player.sync.queue import mark_done_many

    digest = "ab" * 32
    catalog = one_series_catalog([("media/huge.mp4", digest, 2**32)], "org.example.huge")
    mirror = write_mirror(tmp_path / "huge-www", catalog)
    lib_dir = tmp_path / "huge-lib"
    with open_library(lib_dir, install_sample=False) as lib:
        import_catalog(lib, LocalMirror(mirror).read_catalog(), location=str(mirror))
        keep_series(lib, "org.example.huge", "big")
        stored = lib.paths.media_file(digest, "mp4")
        stored.parent.mkdir(parents=True)
        with open(stored, "wb") as f:
            f.truncate(2**32)
        mark_done_many(lib, [(digest, stored)])
    return lib_dir, digest


def test_fat32_drive_refuses_files_over_4_gib_with_a_clear_message(tmp_path):
    """A real FAT32 mount needs mkfs.vfat, a loop device and the vfat driver; where the
    kernel or container lacks them (as in this project's CI) the file system type is
    injected instead, which is what the detection would report for such a drive."""
    from player.bundle.export import FileTooLarge, export_bundle
    from player.library.db import open_library

    lib_dir, _ = huge_library(tmp_path)
    dest = tmp_path / "usb"
    with open_library(lib_dir, write=False) as lib:
        with pytest.raises(FileTooLarge) as refused:
            export_bundle(lib, dest, [("org.example.huge", "big")], fs_type="vfat", free_bytes=2**40)
        # exFAT and ext4 hold it: the refusal is only about FAT32.
        assert "4 GiB" in str(refused.value) and "media/huge.mp4 is 4,294,967,296 bytes" in str(refused.value)
        assert "exFAT" in str(refused.value)
    assert not dest.exists() or not any(dest.iterdir())


@pytest.fixture
def fat32_mount(tmp_path):
    import shutil

    if shutil.which("mkfs.vfat") is None:
        pytest.skip("mkfs.vfat (dosfstools) is not installed")
    image = tmp_path / "fat.img"
    with open(image, "wb") as f:
        f.truncate(64 << 20)
    subprocess.run(["mkfs.vfat", "-F", "32", str(image)], check=True, capture_output=True)
    mount = tmp_path / "fat"
    mount.mkdir()
    done = subprocess.run(["mount", "-o", "loop", str(image), str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"a FAT32 image cannot be mounted here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_real_fat32_mount_is_detected_and_refused(tmp_path, fat32_mount):
    from player.bundle.fsinfo import filesystem_type

    assert filesystem_type(fat32_mount / "bundle") == "vfat"
    lib_dir, _ = huge_library(tmp_path)
    done = cli(lib_dir, "export", str(fat32_mount / "bundle"), "--all-kept")
    assert done.returncode == 2
    assert "FAT32" in done.stderr


def test_filesystem_type_comes_from_the_longest_mount_point(tmp_path):
    from player.bundle.fsinfo import filesystem_type, largest_file

    mounts = (
        "/dev/sda1 / ext4 rw 0 0\n"
        "/dev/sdb1 /media/ming/MY\\040STICK vfat rw,nosuid 0 0\n"
        "/dev/sdc1 /media/ming/MY exfat rw 0 0\n"
    )
    assert filesystem_type(Path("/media/ming/MY STICK/bundle"), mounts) == "vfat"
    assert filesystem_type(Path("/media/ming/MY/bundle"), mounts) == "exfat"
    assert filesystem_type(Path("/media/ming/MYSTICK"), mounts) == "ext4"
    assert largest_file("vfat") == 2**32 - 1
    assert largest_file("exfat") is None and largest_file("ext4") is None
    # This machine's own table answers for a real folder.
    assert filesystem_type(tmp_path) is not None


@pytest.fixture
def small_drive(small_disk):
    """A real 8 MB tmpfs standing for a small USB drive."""
    return small_disk


def test_not_enough_free_space_is_refused_before_writing(tmp_path, keypair, small_drive):
    lib, mirror, _ = big_library(tmp_path, keypair, 3, 4_000_000)
    done = cli(lib, "export", str(small_drive / "bundle"), "--all-kept")
    assert done.returncode == 1
    assert "Not enough free space" in done.stderr
    # 12 MB of media, the catalog and its signature, and 1 MiB of room for the rest.
    needed = 12_000_000 + signed_size(mirror) + 2**20
    assert f"needs 13.0 MB ({needed:,} bytes)" in done.stderr
    assert "8.4 MB (8,388,608 bytes) free" in done.stderr
    assert not (small_drive / "bundle").exists()


def test_free_space_figures_without_a_mount(tmp_path, keypair):
    """The same check with the free space injected, for machines that may not mount a tmpfs."""
    from player.bundle.export import NotEnoughSpace, export_bundle
    from player.library.db import open_library

    lib_dir, mirror, _ = big_library(tmp_path, keypair, 2, 100_000)
    needed = 200_000 + signed_size(mirror) + 2**20
    refused = rf"needs 1\.2 MB \({needed:,} bytes\).*1,000 bytes\) free"
    with open_library(lib_dir, write=False) as lib, pytest.raises(NotEnoughSpace, match=refused):
        export_bundle(lib, tmp_path / "out", [("org.example.big", "big")], free_bytes=1000)
    assert not (tmp_path / "out").exists()


def test_sigkill_during_export_then_resume(tmp_path, keypair):
    lib, mirror, files = big_library(tmp_path, keypair, 4, 20_000_000)
    dest = tmp_path / "usb" / "bundle"
    argv = [
        sys.executable,
        "-m",
        "player",
        "--library",
        str(lib),
        "export",
        str(dest),
        "--all-kept",
        "--json",
    ]
    killed = kill_mid_copy(argv, dest, "*.part", lambda: shutil.rmtree(dest, ignore_errors=True))
    assert killed, "the export always ended before a part file was seen"
    assert not (dest / "bundle.json").exists()  # the mark of a finished export
    # Whatever carries a final name is complete: a cut copy is only ever a part file.
    for href, data in files.items():
        if (dest / href).exists():
            assert file_sha(dest / href) == sha(data)

    again = cli(lib, "export", str(dest), "--all-kept", "--json")
    assert again.returncode == 0, again.stderr
    started = [json.loads(line) for line in again.stdout.splitlines()]
    resumed = [e for e in started if e["event"] == "file_started" and e["have"] > 0]
    assert resumed, "the part file's bytes were not continued"
    for href, data in files.items():
        assert file_sha(dest / href) == sha(data)
    assert not list(dest.rglob("*.part*"))
    assert cli(lib, "catalog", "verify", str(dest), "--pubkey", keypair[1]).returncode == 0


def test_export_needs_a_choice_and_real_series(tmp_path, keypair):
    lib, _, _, _ = physics_library(tmp_path, keypair)
    nothing = cli(lib, "export", str(tmp_path / "b"))
    assert nothing.returncode == 2 and "--series" in nothing.stderr
    unknown = cli(lib, "export", str(tmp_path / "b"), "--series", "chemistry")
    assert unknown.returncode == 2 and "no series 'chemistry'" in unknown.stderr
    assert not (tmp_path / "b").exists()


def test_all_kept_leaves_out_the_built_in_sample(tmp_path):
    from player.library.db import open_library

    lib = tmp_path / "app-lib"
    open_library(lib, install_sample=True).close()  # as the app's first start makes it
    done = cli(lib, "export", str(tmp_path / "usb"), "--all-kept")
    assert done.returncode == 2
    assert "No series is kept offline (apart from the built-in sample" in done.stderr
    assert not (tmp_path / "usb").exists()
    named = cli(lib, "export", str(tmp_path / "usb"), "--series", "physics-everyday")
    assert named.returncode == 0, named.stderr
    manifest = json.loads((tmp_path / "usb" / "bundle.json").read_text())
    assert [(s["id"], s["series"]) for s in manifest["sources"]] == [
        ("org.lecture-player.sample", ["physics-everyday"])
    ]
