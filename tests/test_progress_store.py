"""Progress and profiles in a real library, and their command-line face."""

import csv
import io

import pytest

from player.cli import main
from player.errors import BadInput
from player.library.progress_store import (
    add_profile,
    continue_watching,
    default_profile_id,
    get_progress,
    list_profiles,
    list_progress,
    save_progress,
)
from player.library.sources import add_source
from player.progress import ProgressTracker, ProgressUpdate
from tests.mirrors import base_catalog, write_mirror

SRC = "org.example.physics"


def import_catalog(lib, tmp_path):
    catalog, files = base_catalog()
    # A title with no English variant, so every export shows the Chinese.
    catalog["series"][0]["title"] = "力学 第一册"
    write_mirror(tmp_path / "m", catalog, files)
    add_source(lib, str(tmp_path / "m"))


def update(lecture="gravity", position=0.0, seconds=0.0, completed=False, profile=1, **kw):
    return ProgressUpdate(
        profile_id=profile,
        source_id=SRC,
        lecture_id=lecture,
        position=position,
        duration=600.0,
        watched_seconds=seconds,
        completed=completed,
        speed=kw.get("speed"),
        subtitle_lang=kw.get("lang"),
    )


def test_saves_merge_increments(library):
    profile = default_profile_id(library)
    assert get_progress(library, profile, SRC, "gravity") is None
    save_progress(library, update(position=120, seconds=30, speed=1.5, lang="zh"), at="2026-01-01T10:00:00Z")
    save_progress(library, update(position=0, seconds=20, completed=True), at="2026-01-01T10:10:00Z")
    save_progress(library, update(position=0, seconds=5, completed=True), at="2026-01-02T09:00:00Z")
    p = get_progress(library, profile, SRC, "gravity")
    assert (p.position, p.watched, p.watch_count, p.watched_seconds) == (0.0, True, 2, 55.0)
    assert (p.first_watched, p.last_watched) == ("2026-01-01T10:10:00Z", "2026-01-02T09:00:00Z")
    assert (p.speed, p.subtitle_lang) == (1.5, "zh")  # kept when a later save leaves them unset
    # Watching again part-way keeps it watched and remembers where.
    save_progress(library, update(position=200, seconds=10), at="2026-01-03T09:00:00Z")
    p = get_progress(library, profile, SRC, "gravity")
    assert (p.position, p.watched, p.watch_count, p.last_watched) == (200.0, True, 2, "2026-01-02T09:00:00Z")


def test_progress_is_per_profile(library):
    other = add_profile(library, "小明").id
    save_progress(library, update(position=100, profile=other))
    assert get_progress(library, default_profile_id(library), SRC, "gravity") is None
    assert get_progress(library, other, SRC, "gravity").position == 100.0


def test_a_tracker_saves_into_the_library(library, tmp_path):
    import_catalog(library, tmp_path)
    clock = [0.0]
    profile = default_profile_id(library)
    t = ProgressTracker(
        profile, SRC, "gravity", 600.0, now=lambda: clock[0], save=lambda u: save_progress(library, u)
    )
    t.playing(100.0)
    for _ in range(24):
        clock[0] += 0.5
        t.position(100.0 + clock[0])
    t.closed(112.0)
    p = get_progress(library, profile, SRC, "gravity")
    assert p.position == 112.0
    assert p.watched_seconds == pytest.approx(12.0)
    assert not p.watched


def test_list_and_continue_watching(library, tmp_path):
    import_catalog(library, tmp_path)
    me = default_profile_id(library)
    save_progress(library, update("gravity", position=120), at="2026-01-01T10:00:00Z")
    save_progress(library, update("stars", position=300), at="2026-01-02T10:00:00Z")
    save_progress(library, update("light", position=0, completed=True), at="2026-01-03T10:00:00Z")
    save_progress(library, update("gone", position=50), at="2026-01-04T10:00:00Z")  # not in the library
    shelf = continue_watching(library, me, 10)
    assert [r.lecture_id for r in shelf] == ["stars", "gravity"]
    assert [r.lecture_id for r in continue_watching(library, me, 1)] == ["stars"]
    rows = {r.lecture_id: r for r in list_progress(library)}
    assert rows["gravity"].series_title == "力学 第一册"
    assert rows["gravity"].lecture_title == {"zh": "万有引力", "en": "Universal Gravitation"}
    assert rows["gone"].lecture_title is None and rows["gone"].series_id is None
    assert list_progress(library, add_profile(library, "Other").id) == []


def test_profiles(library):
    assert [p.name for p in list_profiles(library)] == ["Default"]
    add_profile(library, "Ana")
    with pytest.raises(BadInput):
        add_profile(library, "Ana")
    with pytest.raises(BadInput):
        add_profile(library, "  ")
    assert [p.name for p in list_profiles(library)] == ["Default", "Ana"]
    assert default_profile_id(library) == list_profiles(library)[0].id


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_export_keeps_chinese_and_has_a_bom(tmp_path, capsys, library):
    import_catalog(library, tmp_path)
    kid = add_profile(library, "小红").id
    save_progress(library, update("gravity", position=0, seconds=600, completed=True, profile=kid))
    save_progress(library, update("light", position=300, seconds=90))
    library.close()
    lib_dir = str(tmp_path / "lib")

    out_file = tmp_path / "progress.csv"
    code, _, _ = run(capsys, "--library", lib_dir, "progress", "export", "--csv", str(out_file))
    assert code == 0
    raw = out_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["profile", "source", "series id"]
    by_lecture = {r[4]: r for r in rows[1:]}
    assert by_lecture["gravity"][:4] == ["小红", SRC, "mechanics", "力学 第一册"]
    assert by_lecture["gravity"][8:11] == ["yes", "1", "10.0"]
    assert by_lecture["light"][0] == "Default"
    assert by_lecture["light"][6:9] == ["600", "300", "no"]

    code, out, _ = run(capsys, "--library", lib_dir, "progress", "export", "--profile", "小红", "--csv", "-")
    assert code == 0
    assert out.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert [r[0] for r in lines[1:]] == ["小红"]

    code, _, err = run(
        capsys, "--library", lib_dir, "progress", "export", "--profile", "Nobody", "--csv", "-"
    )
    assert code == 2
    assert "Nobody" in err


def test_profiles_cli(tmp_path, capsys):
    lib_dir = str(tmp_path / "lib")
    code, out, _ = run(capsys, "--library", lib_dir, "profiles", "add", "Ana")
    assert code == 0
    code, out, _ = run(capsys, "--library", lib_dir, "profiles", "list")
    assert (code, out) == (0, "Default  (default)\nAna\n")
    code, _, err = run(capsys, "--library", lib_dir, "profiles", "add", "Ana")
    assert code == 2
    assert "already" in err


def test_next_up_is_the_first_unwatched_lecture_after_the_last_watched(library, tmp_path):
    from player.library.progress_store import default_profile_id, next_up, save_progress
    from player.library.sources import add_source
    from player.progress import ProgressUpdate
    from tests.mirrors import base_catalog, write_mirror

    catalog, files = base_catalog()
    catalog["series"][0]["lectures"].append(
        {
            "id": "waves",
            "title": "Waves",
            "duration": 600,
            "video": catalog["series"][0]["lectures"][1]["video"],
        }
    )
    write_mirror(tmp_path / "m", catalog, files)
    add_source(library, str(tmp_path / "m"))
    profile = default_profile_id(library)
    pks = dict(library.db.execute("SELECT id, pk FROM lectures"))
    assert next_up(library, profile) == []

    def watched(lecture_id, at):
        update = ProgressUpdate(
            profile, "org.example.physics", lecture_id, 0.0, 600.0, 600.0, True, None, None
        )
        save_progress(library, update, at=at)

    watched("gravity", "2026-11-01T10:00:00Z")
    assert next_up(library, profile) == [pks["light"]]
    watched("light", "2026-11-02T10:00:00Z")
    assert next_up(library, profile) == [pks["waves"]]
    watched("stars", "2026-11-03T10:00:00Z")  # the astronomy series has nothing after it
    assert next_up(library, profile) == [pks["waves"]]


def test_a_lecture_not_opened_before_takes_its_series_speed_and_subtitles(tmp_path):
    from player.library import queries
    from player.library.db import open_library
    from player.library.progress_store import default_profile_id, save_progress
    from player.ui.playback import load_lecture

    with open_library(tmp_path / "lib") as lib:  # with the built-in sample
        series = queries.list_series(lib)[0]
        first, second = queries.list_lectures(lib, series.pk)[:2]
        profile = default_profile_id(lib)
        assert load_lecture(lib, second.pk).speed is None
        save_progress(
            lib, ProgressUpdate(profile, first.source_id, first.id, 11.0, 12.0, 5.0, False, 1.5, "zh")
        )
        opened = load_lecture(lib, second.pk)
        assert (opened.speed, opened.subtitle_lang) == (1.5, "zh")
        # Another series keeps its own.
        other = queries.list_lectures(lib, queries.list_series(lib)[1].pk)[0]
        assert load_lecture(lib, other.pk).speed is None
