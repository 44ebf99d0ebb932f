"""The home screen's queries, on real library files."""

import json

import pytest

from player.library import home_queries
from player.library.db import open_library
from player.library.kept import keep_series
from player.library.materialize import mark_present
from player.library.progress_store import add_profile, default_profile_id, save_progress
from player.progress import ProgressUpdate
from tests.ui_helpers import SOURCE_ID, make_library


@pytest.fixture
def lib(tmp_path):
    root = make_library(tmp_path / "lib", 3, n_lectures=4)
    with open_library(root, install_sample=False) as lib:
        yield lib


def lecture_pk(lib, lecture_id: str) -> int:
    return lib.db.execute("SELECT pk FROM lectures WHERE id = ?", [lecture_id]).fetchone()[0]


def series_pk(lib, series_id: str) -> int:
    return lib.db.execute("SELECT pk FROM series WHERE id = ?", [series_id]).fetchone()[0]


def save(lib, profile, lecture_id, *, position=0.0, completed=False, at="2026-11-01T10:00:00Z"):
    update = ProgressUpdate(profile, SOURCE_ID, lecture_id, position, 2000.0, 60.0, completed, None, None)
    save_progress(lib, update, at=at)


def test_continue_watching_is_most_recent_first_and_leaves_out_finished_lectures(lib):
    me = default_profile_id(lib)
    save(lib, me, "s0000-l000", position=300.0, at="2026-11-01T10:00:00Z")
    save(lib, me, "s0001-l002", position=120.0, at="2026-11-03T10:00:00Z")
    save(lib, me, "s0002-l001", position=900.0, at="2026-11-02T10:00:00Z")
    save(lib, me, "s0002-l003", completed=True, at="2026-11-04T10:00:00Z")  # finished: resumes at 0

    cards = home_queries.continue_watching(lib, me)

    assert [c.pk for c in cards] == [
        lecture_pk(lib, "s0001-l002"),
        lecture_pk(lib, "s0002-l001"),
        lecture_pk(lib, "s0000-l000"),
    ]
    first = cards[0]
    assert first.position == 120.0
    assert first.duration == 2000.0
    assert first.series_pk == series_pk(lib, "s0001")
    assert first.title["en"].endswith("part 3")
    assert first.series_title == {"zh": "科学系列1", "en": "Science series 1"}


def test_next_up_is_the_lecture_after_the_last_watched_one(lib):
    me = default_profile_id(lib)
    save(lib, me, "s0000-l000", completed=True, at="2026-11-01T10:00:00Z")
    save(lib, me, "s0000-l001", completed=True, at="2026-11-02T10:00:00Z")
    save(lib, me, "s0002-l000", completed=True, at="2026-11-03T10:00:00Z")

    cards = home_queries.next_up(lib, me)

    # The series watched most recently first.
    assert [c.pk for c in cards] == [lecture_pk(lib, "s0002-l001"), lecture_pk(lib, "s0000-l002")]
    assert all(c.position == 0 for c in cards)
    assert cards[0].series_title["en"] == "Science series 2"


def test_home_rows_resolve_the_default_profile_and_count_series(lib):
    me = default_profile_id(lib)
    save(lib, me, "s0001-l001", position=50.0)
    rows = home_queries.home_rows(lib, None)
    assert rows.profile_id == me
    assert [c.pk for c in rows.continue_watching] == [lecture_pk(lib, "s0001-l001")]
    assert rows.next_up == []
    assert rows.series_count == 3


def test_watched_counts_are_per_profile_and_per_series(lib):
    me = default_profile_id(lib)
    other = add_profile(lib, "Guest").id
    for lecture in ("s0000-l000", "s0000-l002", "s0001-l003"):
        save(lib, me, lecture, completed=True)
    save(lib, me, "s0002-l000", position=500.0)  # started, not watched
    save(lib, other, "s0002-l001", completed=True)

    mine = {c.pk: c.watched_count for c in home_queries.series_page(lib, me)}
    theirs = {c.pk: c.watched_count for c in home_queries.series_page(lib, other)}

    s0, s1, s2 = (series_pk(lib, s) for s in ("s0000", "s0001", "s0002"))
    assert mine == {s0: 2, s1: 1, s2: 0}
    assert theirs == {s0: 0, s1: 0, s2: 1}
    assert home_queries.watched_counts(lib, me, [s1, s2]) == {s1: 1}


def test_series_pages_follow_catalog_order(tmp_path):
    root = make_library(tmp_path / "lib", 7, n_lectures=2)
    with open_library(root, install_sample=False) as lib:
        first = home_queries.series_page(lib, None, offset=0, limit=3)
        rest = home_queries.series_page(lib, None, offset=3, limit=10)
    titles = [c.title["en"] for c in first + rest]
    assert titles == [f"Science series {n}" for n in range(7)]
    assert all(c.lecture_count == 2 for c in first + rest)


def test_download_state_kept_present_partly_present_and_online_only(lib, tmp_path):
    keep_series(lib, SOURCE_ID, "s0000")
    keep_series(lib, SOURCE_ID, "s0001")
    # Every file of s0000 is in the store; one lecture's files of s0001 are.
    shas = lib.db.execute(
        """SELECT DISTINCT m.sha256, l.id FROM media m JOIN lectures l ON l.pk = m.lecture_pk
           WHERE l.id LIKE 's0000-%' OR l.id = 's0001-l000'"""
    ).fetchall()
    # Only subtitles are read when marked present; an empty one stands in for every file.
    empty = tmp_path / "empty.vtt"
    empty.write_text("WEBVTT\n")
    for sha, _lecture in shas:
        mark_present(lib, sha, empty)

    cards = {c.title["en"]: c for c in home_queries.series_page(lib, None)}

    full, partial, online = cards["Science series 0"], cards["Science series 1"], cards["Science series 2"]
    assert full.kept and full.total_size > 0 and full.present_size == full.total_size
    assert partial.kept and 0 < partial.present_size < partial.total_size
    assert not online.kept and online.present_size == 0


def test_speakers_name_the_main_speaker_or_count_them(tmp_path):
    with open_library(tmp_path / "lib", install_sample=True) as lib:
        pks = [r[0] for r in lib.db.execute("SELECT pk FROM series ORDER BY position")]
        found = home_queries.series_speakers(lib, pks)
    physics, astronomy = found[pks[0]], found[pks[1]]
    # Li Ming gives all three physics lectures; a guest joins the third.
    assert physics.main == {"zh": "李明", "en": "Li Ming"}
    assert physics.count == 2
    assert astronomy.main == {"zh": "陈静", "en": "Chen Jing"}


def set_speakers(lib, series_id: str, lists: list[list]) -> None:
    for n, names in enumerate(lists):
        speakers = json.dumps([{"name": name} for name in names], ensure_ascii=False)
        lib.db.execute("UPDATE lectures SET speakers = ? WHERE id = ?", [speakers, f"{series_id}-l{n:03d}"])


def test_a_series_without_one_main_speaker_counts_its_speakers(lib):
    ana = {"zh": "安娜", "en": "Ana"}
    set_speakers(lib, "s0000", [[ana], ["Bo"], ["Cy"], [ana, "Bo"]])  # Ana and Bo tie
    set_speakers(lib, "s0001", [[ana], [ana], ["Bo"], [ana]])
    set_speakers(lib, "s0002", [["Bo"], ["Cy"], ["Di"], ["Ed"]])
    pks = [series_pk(lib, s) for s in ("s0000", "s0001", "s0002")]

    found = home_queries.series_speakers(lib, pks)

    assert (found[pks[0]].main, found[pks[0]].count) == (None, 3)
    assert (found[pks[1]].main, found[pks[1]].count) == (ana, 2)
    assert (found[pks[2]].main, found[pks[2]].count) == (None, 4)
