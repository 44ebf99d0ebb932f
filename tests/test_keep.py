"""`keep` and `unkeep` on the command line: naming series, quality, and freeing files."""

from __future__ import annotations

import json
from pathlib import Path

from player.library.db import open_library
from player.library.sources import add_source
from tests.mirrors import base_catalog, file_entry, run_cli, sha, sync_from_local_mirrors, write_mirror

SRC = "org.example.physics"
OTHER = "org.example.other"


def run(capsys, lib_dir: Path, *argv: str) -> tuple[int, str, str]:
    return run_cli(capsys, "--library", str(lib_dir), *argv)


def make_library(tmp_path: Path, *, second_source: bool = False) -> tuple[Path, dict[str, bytes]]:
    catalog, files = base_catalog()
    # Astronomy's 480p video is the same bytes as a mechanics video: one stored file, two users.
    stars = catalog["series"][1]["lectures"][0]
    stars["video"][0] = file_entry(
        "media/shared.mp4", files["media/gravity.mp4"], type="video/mp4", height=480
    )
    files["media/shared.mp4"] = files["media/gravity.mp4"]
    lib_dir = tmp_path / "lib"
    with open_library(lib_dir, install_sample=False) as lib:
        add_source(lib, str(write_mirror(tmp_path / "m", catalog, files)))
        if second_source:
            other, other_files = base_catalog()
            other["id"] = OTHER
            del other["series"][1]
            add_source(lib, str(write_mirror(tmp_path / "other", other, other_files)))
    return lib_dir, files


def sync_everything(lib_dir: Path) -> None:
    with open_library(lib_dir) as lib:
        sync_from_local_mirrors(lib)


def kept(lib_dir: Path) -> dict[tuple[str, str], int | None]:
    with open_library(lib_dir, write=False) as lib:
        return {(r[0], r[1]): r[2] for r in lib.db.execute("SELECT source_id, series_id, quality FROM kept")}


def test_an_ambiguous_series_id_exits_2_and_lists_the_candidates(tmp_path, capsys):
    lib_dir, _ = make_library(tmp_path, second_source=True)
    code, out, err = run(capsys, lib_dir, "keep", "astronomy", "mechanics")
    assert code == 2
    assert err.startswith("lecture-player: The series id 'mechanics' is in more than one source:")
    assert f"{OTHER}/mechanics" in err and f"{SRC}/mechanics" in err
    assert "--source" in err
    assert kept(lib_dir) == {}  # nothing kept when one name is bad

    code, out, err = run(capsys, lib_dir, "keep", "mechanics", "--source", OTHER)
    assert code == 0, err
    assert f"Keeping {OTHER}/mechanics (Mechanics, default quality): 4 files" in out
    code, out, err = run(capsys, lib_dir, "keep", f"{SRC}/mechanics", "astronomy")
    assert code == 0, err
    assert set(kept(lib_dir)) == {(OTHER, "mechanics"), (SRC, "mechanics"), (SRC, "astronomy")}
    code, _, err = run(capsys, lib_dir, "keep", "nonesuch")
    assert code == 2 and "There is no series 'nonesuch'" in err
    # Kept in one source only, so unkeep needs no source.
    code, out, err = run(capsys, lib_dir, "unkeep", "astronomy")
    assert code == 0 and f"No longer keeping {SRC}/astronomy." in out
    code, _, err = run(capsys, lib_dir, "unkeep", "mechanics")
    assert code == 2 and "more than one source" in err


def test_keep_quality_is_stored_and_kept_on_a_second_keep(tmp_path, capsys):
    lib_dir, _ = make_library(tmp_path)
    code, out, err = run(capsys, lib_dir, "keep", "astronomy", "--quality", "720")
    assert code == 0, err
    assert f"Keeping {SRC}/astronomy (Astronomy, at most 720p): 1 file," in out
    code, _, _ = run(capsys, lib_dir, "keep", "astronomy")
    assert kept(lib_dir) == {(SRC, "astronomy"): 720}
    code, out, _ = run(capsys, lib_dir, "series", "list", "--json")
    [astronomy] = [s for s in json.loads(out) if s["id"] == "astronomy"]
    assert astronomy["total_size"] == len(b"video-stars-720" * 150)  # the chosen rendition
    assert run(capsys, lib_dir, "keep", "astronomy", "--quality", "tall")[0] == 2


def test_unkeep_without_delete_files_only_stops_keeping(tmp_path, capsys):
    lib_dir, files = make_library(tmp_path)
    run(capsys, lib_dir, "keep", "mechanics")
    sync_everything(lib_dir)
    code, out, _ = run(capsys, lib_dir, "unkeep", "mechanics")
    assert code == 0 and "Its files stay in the library" in out
    assert kept(lib_dir) == {}
    with open_library(lib_dir, write=False) as lib:
        assert lib.paths.media_file(sha(files["media/light.mp4"]), "mp4").exists()


def test_unkeep_delete_files_frees_exactly_what_no_other_kept_series_uses(tmp_path, capsys):
    lib_dir, files = make_library(tmp_path)
    run(capsys, lib_dir, "keep", "mechanics", "astronomy")
    sync_everything(lib_dir)
    with open_library(lib_dir) as lib, lib.db.atomic():
        lib.db.execute(
            """INSERT INTO progress (profile_id, source_id, lecture_id, position, updated_at)
               VALUES (1, ?, 'gravity', 42.5, '2026-01-01T00:00:00Z')""",
            [SRC],
        )
    only_mechanics = ["media/gravity.en.vtt", "media/gravity.zh.vtt", "media/light.mp4"]
    code, out, err = run(capsys, lib_dir, "unkeep", "mechanics", "--delete-files")
    assert code == 0, err
    freed = sum(len(files[h]) for h in only_mechanics)
    assert f"Deleted 3 files, freed {freed / 1000:.1f} KB." in out
    with open_library(lib_dir, write=False) as lib:

        def stored(href: str) -> bool:
            data = files[href]
            return lib.paths.media_file(sha(data), href.rsplit(".", 1)[1]).exists()

        assert not any(stored(h) for h in only_mechanics)
        assert stored("media/gravity.mp4")  # astronomy uses the same bytes
        states = dict(lib.db.execute("SELECT href, state FROM media").fetchall())
        assert [states[h] for h in only_mechanics] == ["absent"] * 3
        assert states["media/gravity.mp4"] == states["media/shared.mp4"] == "present"
        assert lib.db.execute("SELECT position FROM progress WHERE lecture_id = 'gravity'").fetchall() == [
            (42.5,)
        ]
    assert kept(lib_dir) == {(SRC, "astronomy"): None}
    # Freeing later the files of a series no longer kept works too, and finds nothing left.
    code, out, _ = run(capsys, lib_dir, "unkeep", "mechanics", "--delete-files")
    assert code == 0 and "Deleted 0 files, freed 0 B." in out
