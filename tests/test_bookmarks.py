"""Bookmarks: the store per profile, migration 0003 over an existing library, and the
player screen's B key, list, jump and delete against a real library."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from player.library import bookmarks as store  # noqa: E402
from player.library import migrations as migrations_module  # noqa: E402
from player.library import progress_store, queries  # noqa: E402
from player.library.db import open_library  # noqa: E402
from tests.ui_helpers import running_launcher, ui_language  # noqa: E402

WAIT = 15000


def _two_profiles(lib) -> tuple[int, int]:
    first = progress_store.default_profile_id(lib)
    cursor = lib.db.execute("INSERT INTO profiles (name, created_at) VALUES ('Ming', 'now')")
    lib.db.conn.commit()
    return first, cursor.lastrowid


def test_bookmarks_are_kept_per_profile_and_lecture_in_time_order(tmp_path):
    with open_library(tmp_path / "lib", install_sample=False) as lib:
        alice, ming = _two_profiles(lib)
        late = store.add_bookmark(lib, alice, "org.example", "l1", 30.0, "  the proof  ")
        early = store.add_bookmark(lib, alice, "org.example", "l1", 5.5)
        store.add_bookmark(lib, ming, "org.example", "l1", 12.0, "Ming's")
        store.add_bookmark(lib, alice, "org.example", "l2", 1.0)

        mine = store.list_bookmarks(lib, alice, "org.example", "l1")
        assert [(b.position, b.note) for b in mine] == [(5.5, None), (30.0, "the proof")]
        assert [b.note for b in store.list_bookmarks(lib, ming, "org.example", "l1")] == ["Ming's"]

        assert store.set_note(lib, early.id, "first example").note == "first example"
        assert store.set_note(lib, late.id, "   ").note is None  # blank clears it
        store.delete_bookmark(lib, late.id)
        mine = store.list_bookmarks(lib, alice, "org.example", "l1")
        assert [(b.position, b.note) for b in mine] == [(5.5, "first example")]
        assert store.get_bookmark(lib, late.id) is None


def test_migration_0003_keeps_the_bookmarks_of_a_0002_library(tmp_path):
    root = tmp_path / "lib"
    registered = list(migrations_module.migrations._migrations)
    try:
        # A library as the previous release left it: migrations up to 0002 only.
        migrations_module.migrations._migrations[:] = [m for m in registered if m.name < "0003"]
        with open_library(root, install_sample=False) as lib:
            assert "updated_at" not in lib.db["bookmarks"].columns_dict
            profile = progress_store.default_profile_id(lib)
            lib.db.execute(
                "INSERT INTO bookmarks (profile_id, source_id, lecture_id, position, note, created_at)"
                " VALUES (?, 'org.example', 'l1', 42.5, 'kept note', '2025-01-02T03:04:05Z')",
                [profile],
            )
            lib.db.conn.commit()
    finally:
        migrations_module.migrations._migrations[:] = registered

    with open_library(root, install_sample=False) as lib:
        assert "0003_bookmarks" in [m.name for m in migrations_module.migrations.applied(lib.db)]
        [kept] = store.list_bookmarks(lib, profile, "org.example", "l1")
        assert (kept.position, kept.note, kept.created_at) == (42.5, "kept note", "2025-01-02T03:04:05Z")
        assert kept.updated_at == kept.created_at
        index = lib.db.execute("PRAGMA index_info(bookmarks_lecture)").fetchall()
        assert [row[2] for row in index] == ["profile_id", "source_id", "lecture_id", "position"]
    assert list((root / "backups").glob("library-pre-migration-*.db")), (
        "an existing library is backed up first"
    )


@pytest.fixture
def sample_library(tmp_path):
    root = tmp_path / "lib"
    open_library(root, install_sample=True).close()
    return root


def _stored(root, lecture, profile=None):
    with open_library(root, write=False) as lib:
        who = profile if profile is not None else progress_store.default_profile_id(lib)
        return store.list_bookmarks(lib, who, lecture.source_id, lecture.id)


@pytest.mark.gui
def test_b_bookmarks_with_a_note_and_the_menu_jumps_and_deletes(qtbot, qapp, sample_library):
    with open_library(sample_library) as lib:
        lecture = queries.list_lectures(lib, queries.list_series(lib)[0].pk)[0]
        _, ming = _two_profiles(lib)
        store.add_bookmark(lib, ming, lecture.source_id, lecture.id, 9.0, "Ming's")
    with ui_language(qapp, "en"), running_launcher(qtbot, sample_library) as launcher:
        window = launcher.window
        pv = window.player_view
        player = pv.player
        qtbot.waitUntil(lambda: window.lecture_model.rowCount() > 0, timeout=WAIT)
        with qtbot.waitSignal(player.first_frame, timeout=WAIT):
            window.open_lecture(lecture.pk)
        player.pause()
        pv.seek(6.0)
        qtbot.waitUntil(lambda: abs(player.position() - 6.0) < 0.3, timeout=WAIT)

        # B stores the bookmark at once; the note popup does not stop anything.
        qtbot.keyClick(pv, Qt.Key.Key_B)
        note = pv.video.note
        assert note.isVisible()
        qtbot.waitUntil(lambda: len(_stored(sample_library, lecture)) == 1, timeout=WAIT)
        qtbot.keyClicks(note.edit, "Galileo's ramp")
        qtbot.keyClick(note.edit, Qt.Key.Key_Return)
        assert not note.isVisible()
        qtbot.waitUntil(lambda: _stored(sample_library, lecture)[0].note == "Galileo's ramp", timeout=WAIT)
        assert _stored(sample_library, lecture)[0].position == pytest.approx(6.0, abs=0.3)

        # Esc keeps a second bookmark without a note.
        pv.seek(2.0)
        qtbot.waitUntil(lambda: abs(player.position() - 2.0) < 0.3, timeout=WAIT)
        qtbot.keyClick(pv, Qt.Key.Key_B)
        qtbot.keyClicks(pv.video.note.edit, "not this")
        qtbot.keyClick(pv.video.note.edit, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: len(pv.bookmarks) == 2, timeout=WAIT)
        assert [(round(b.position), b.note) for b in pv.bookmarks] == [(2, None), (6, "Galileo's ramp")]
        labels = [a.text() for a in pv.controls.bookmarks.menu().actions() if a.menu() is not None]
        assert labels == ["0:02", "0:06  Galileo's ramp"]

        # Jump from the menu, then delete from it.
        entry = next(a for a in pv.controls.bookmarks.menu().actions() if a.text().endswith("ramp"))
        jump, delete = entry.menu().actions()
        jump.trigger()
        qtbot.waitUntil(lambda: abs(player.position() - 6.0) < 0.3, timeout=WAIT)
        delete.trigger()
        qtbot.waitUntil(lambda: len(pv.bookmarks) == 1, timeout=WAIT)
        assert [b.note for b in _stored(sample_library, lecture)] == [None]

        # The other profile's bookmark was never listed here, and is untouched.
        assert [b.note for b in _stored(sample_library, lecture, ming)] == ["Ming's"]
