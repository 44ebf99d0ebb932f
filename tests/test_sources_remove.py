"""`sources remove`: stop following a source, keep people's progress and notes, and
delete files only when asked, and only those no other kept series uses."""

from __future__ import annotations

from pathlib import Path

from player.library.db import open_library
from player.library.kept import keep_series
from player.library.progress_store import get_progress
from player.library.sources import add_source
from player.sizes import human_size
from player.sync.remove_source import removal_cost
from tests.mirrors import one_series_catalog, sha, sync_from_local_mirrors, write_mirror
from tests.test_rebuild import SRC, cli, synced_library

OTHER = "org.example.other"


def two_sources(tmp_path: Path, keypair) -> tuple[Path, dict[str, bytes]]:
    """The synced physics library, plus a second kept source that shares one video."""
    lib_dir, files = synced_library(tmp_path, keypair)
    shared = files["media/light.mp4"]
    catalog = one_series_catalog([("media/shared.mp4", sha(shared), len(shared))], source_id=OTHER)
    mirror = write_mirror(tmp_path / "other", catalog, {"media/shared.mp4": shared})
    with open_library(lib_dir) as lib:
        add_source(lib, str(mirror))
        keep_series(lib, OTHER, "big")
        sync_from_local_mirrors(lib)
    return lib_dir, files


def stored(lib_dir: Path) -> dict[str, int]:
    return {p.name.partition(".")[0]: p.stat().st_size for p in (lib_dir / "media").rglob("*") if p.is_file()}


def test_removing_a_source_keeps_its_files_progress_and_bookmarks_unless_asked(tmp_path, keypair):
    lib_dir, files = two_sources(tmp_path, keypair)
    before = stored(lib_dir)
    code, out, err = cli(lib_dir, "sources", "remove", SRC)
    assert code == 0, err
    assert f"Removed the source {SRC}; 2 kept series are no longer kept. Progress and bookmarks stay." in out
    # The shared video is still another kept series' file, so four are left over, not five.
    only_physics = sum(size for h, size in before.items() if h != sha(files["media/light.mp4"]))
    assert "Its 4 stored files" in out and "`lecture-player doctor --delete-orphans` deletes them." in out
    assert stored(lib_dir) == before  # nothing deleted
    assert not (lib_dir / "catalogs" / f"{SRC}.json").exists()
    with open_library(lib_dir) as lib:
        db = lib.db
        assert [r[0] for r in db.execute("SELECT id FROM sources")] == [OTHER]
        assert db.execute("SELECT count(*) FROM series WHERE source_id = ?", [SRC]).fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM lectures_fts").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM cues_fts").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM progress WHERE source_id = ?", [SRC]).fetchone() == (1,)
        assert db.execute("SELECT note FROM bookmarks").fetchall() == [("orbits",)]
    code, out, _ = cli(lib_dir, "doctor")
    assert code == 1 and out.count("orphan     ") == 4
    code, out, _ = cli(lib_dir, "doctor", "--delete-orphans")
    assert code == 0 and f"freeing {human_size(only_physics)} ({only_physics:,} bytes)." in out
    assert stored(lib_dir) == {sha(files["media/light.mp4"]): len(files["media/light.mp4"])}

    # Adding it back brings people's progress back into view.
    code, _, err = cli(lib_dir, "sources", "add", str(tmp_path / "m"), "--pubkey", keypair[1])
    assert code == 0, err
    with open_library(lib_dir) as lib:
        ming = lib.db.execute("SELECT id FROM profiles WHERE name = 'Ming'").fetchone()[0]
        assert get_progress(lib, ming, SRC, "gravity").position == 321.5


def test_delete_files_frees_only_what_no_other_kept_series_uses_and_says_how_much(tmp_path, keypair):
    lib_dir, files = two_sources(tmp_path, keypair)
    before = stored(lib_dir)
    shared = sha(files["media/light.mp4"])
    freed = sum(size for h, size in before.items() if h != shared)
    with open_library(lib_dir) as lib:
        assert removal_cost(lib, SRC) == (4, freed)
    code, out, err = cli(lib_dir, "sources", "remove", SRC, "--delete-files")
    assert code == 0, err
    assert f"Deleted 4 files, freed {human_size(freed)} ({freed:,} bytes)." in out
    assert stored(lib_dir) == {shared: before[shared]}  # the other source's kept video stays
    code, out, _ = cli(lib_dir, "doctor", "--full")
    assert code == 0 and "All good." in out

    # A lost index rebuilt afterwards does not follow the removed source again.
    (lib_dir / "library.db").unlink()
    code, out, err = cli(lib_dir, "doctor", "--fix")
    assert "Rebuilt the index from 1 cached catalog" in out, out + err
    with open_library(lib_dir) as lib:
        assert [r[0] for r in lib.db.execute("SELECT id FROM sources")] == [OTHER]


def test_an_unknown_source_is_bad_input(tmp_path, keypair):
    lib_dir, _ = synced_library(tmp_path, keypair)
    code, _, err = cli(lib_dir, "sources", "remove", "org.example.nobody")
    assert code == 2 and "There is no source 'org.example.nobody'" in err


def test_after_the_last_source_doctor_deletes_nothing_and_says_why(tmp_path, keypair):
    lib_dir, _ = synced_library(tmp_path, keypair)
    before = stored(lib_dir)
    code, out, err = cli(lib_dir, "sources", "remove", SRC)
    assert code == 0, err
    assert "no other source's files are stored, so only deleting the folder media/ by hand frees them" in out
    code, out, _ = cli(lib_dir, "doctor")
    assert code == 1 and "The index counts no stored file" in out and "would delete" not in out
    code, out, _ = cli(lib_dir, "doctor", "--fix", "--delete-orphans")
    assert code == 1 and "No orphan file was deleted: the index counts no stored file" in out
    assert stored(lib_dir) == before
