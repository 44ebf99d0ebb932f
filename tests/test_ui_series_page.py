"""The series page of the Library screen, over a real library with stored files."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QLocale, Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from player.library import lecture_states, progress_store  # noqa: E402
from player.library.db import open_library  # noqa: E402
from player.progress import ProgressUpdate  # noqa: E402
from player.ui import thumbs  # noqa: E402
from player.ui.library_page import LibraryPage  # noqa: E402
from player.ui.models import DOWNLOADING, DownloadRole, ItemRole, LectureModel, WatchedRole  # noqa: E402
from player.ui.session import Session  # noqa: E402
from player.ui.tasks import LibraryExecutor  # noqa: E402
from tests.test_lecture_states import SRC, build_library  # noqa: E402
from tests.ui_helpers import ui_language  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english(qapp):
    with ui_language(qapp, "en"):
        yield


@pytest.fixture
def built(tmp_path):
    return build_library(tmp_path)


@pytest.fixture
def session(qtbot, built):
    executor = LibraryExecutor(built.root)
    with qtbot.waitSignal(executor.opened):
        executor.open(install_sample=False)
    session = Session(executor)
    yield session
    executor.shutdown()


@pytest.fixture
def page(qtbot, session):
    page = LibraryPage(session)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.series_model.rowCount() == 3)
    return page


def pks(built) -> dict[str, int]:
    with open_library(built.root, write=False) as lib:
        return dict(lib.db.execute("SELECT id, pk FROM series").fetchall())


def open_series(qtbot, page: LibraryPage, series_pk: int, n_lectures: int) -> LectureModel:
    page.show_series(series_pk)
    model = page.lecture_model
    qtbot.waitUntil(lambda: model.series_pk == series_pk and model.rowCount() == n_lectures)
    return model


def row_of(model: LectureModel, lecture_id: str) -> int:
    return next(n for n in range(model.rowCount()) if model.item(n).lecture.id == lecture_id)


def download(model: LectureModel, lecture_id: str) -> tuple[str, float]:
    return model.index(row_of(model, lecture_id), LectureModel.DOWNLOAD).data(DownloadRole)


def on_library(qtbot, session, fn):
    """Run `fn(lib)` on the library thread, which holds the library's write lock; return its result."""
    out = []
    session.executor.submit(fn, out.append, out.append)
    qtbot.waitUntil(lambda: bool(out))
    if isinstance(out[0], BaseException):
        raise out[0]
    return out[0]


def accept(qtbot, pane) -> None:
    qtbot.waitUntil(lambda: pane.confirm_box is not None and pane.confirm_box.isVisible())
    box = pane.confirm_box
    accept_button = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    accept_button.click()


def test_rows_show_stored_queued_and_not_downloaded(qtbot, page, built):
    ids = pks(built)
    model = open_series(qtbot, page, ids["astronomy"], 2)
    assert download(model, "stars") == (lecture_states.PRESENT, 1.0)
    assert download(model, "moon")[0] == lecture_states.QUEUED
    assert model.index(row_of(model, "stars"), LectureModel.DOWNLOAD).data() == "Downloaded"
    assert model.index(row_of(model, "moon"), LectureModel.DOWNLOAD).data().startswith("Queued, ")

    model = open_series(qtbot, page, ids["optics"], 1)
    assert download(model, "lens") == (lecture_states.ABSENT, 0.0)
    shown = model.index(0, LectureModel.DOWNLOAD).data()
    assert shown.startswith("Not downloaded, ") and "2" in shown  # with its size (2.7 KiB / 2.8 kB)
    assert model.index(0, LectureModel.TITLE).data() == "Lenses"
    assert model.index(0, LectureModel.SPEAKERS).data() == "Li Hua"
    assert model.index(0, LectureModel.DURATION).data() == "10:00"
    assert model.index(0, LectureModel.NUMBER).data() == "1"


def test_a_running_download_shows_its_percentage_live(qtbot, page, session, built):
    model = open_series(qtbot, page, pks(built)["astronomy"], 2)
    moon = built.sha("media/moon.mp4")
    row = row_of(model, "moon")
    with qtbot.waitSignal(model.dataChanged):
        session.sync_event.emit("file_started", {"sha256": moon, "name": "moon.mp4", "size": 4000, "have": 0})
    assert download(model, "moon") == (DOWNLOADING, 0.0)
    with qtbot.waitSignal(model.dataChanged) as changed:
        session.sync_event.emit(
            "bytes",
            {
                "done": 1000,
                "total": 4000,
                "rate": 500.0,
                "files": [{"sha256": moon, "done": 1000, "size": 4000}],
            },
        )
    assert changed.args[0].row() == row and changed.args[0].column() == LectureModel.DOWNLOAD
    assert download(model, "moon") == (DOWNLOADING, 0.25)
    assert model.index(row, LectureModel.DOWNLOAD).data() == "Downloading 25%"
    # Another file's bytes change nothing here.
    session.sync_event.emit(
        "bytes", {"done": 5, "total": 5, "rate": 1.0, "files": [{"sha256": "f" * 64, "done": 5, "size": 9}]}
    )
    assert download(model, "moon") == (DOWNLOADING, 0.25)
    session.sync_event.emit("file_done", {"sha256": moon, "name": "moon.mp4", "size": 4000})
    assert download(model, "moon") == (lecture_states.PRESENT, 1.0)


def test_watched_rows_get_a_tick_and_started_ones_a_bar(qtbot, page, session, built):
    def progress(lib):
        me = progress_store.default_profile_id(lib)
        progress_store.mark_watched(lib, me, SRC, ["gravity"])
        update = ProgressUpdate(me, SRC, "light", 300.0, 600.0, 300.0, False, None, None)
        progress_store.save_progress(lib, update)

    model = open_series(qtbot, page, pks(built)["mechanics"], 3)
    assert [model.index(n, LectureModel.WATCHED).data(WatchedRole) for n in range(3)] == [0.0, 0.0, 0.0]
    on_library(qtbot, session, progress)
    session.progress_changed.emit()  # as the player does after saving
    qtbot.waitUntil(lambda: model.index(0, LectureModel.WATCHED).data(WatchedRole) == 1.0)
    watched = [model.index(n, LectureModel.WATCHED).data(WatchedRole) for n in range(3)]
    assert watched == [1.0, 0.5, 0.0]
    assert [model.index(n, LectureModel.WATCHED).data() for n in range(3)] == ["Watched", "50% watched", ""]


def test_mark_watched_and_unwatched_from_the_page_per_profile(qtbot, page, session, built):
    other = on_library(qtbot, session, lambda lib: progress_store.add_profile(lib, "Bo").id)
    model = open_series(qtbot, page, pks(built)["mechanics"], 3)
    pane = page.lecture_pane
    pane.view.selectRow(1)
    assert pane.watched_action.isEnabled()
    with qtbot.waitSignal(session.progress_changed):
        pane.watched_action.trigger()
    qtbot.waitUntil(lambda: model.index(1, LectureModel.WATCHED).data(WatchedRole) == 1.0)
    assert model.index(0, LectureModel.WATCHED).data(WatchedRole) == 0.0
    # The selection survives the reload.
    assert [i.row() for i in pane.view.selectionModel().selectedRows()] == [1]

    session.set_profile(other)
    qtbot.waitUntil(lambda: model.index(1, LectureModel.WATCHED).data(WatchedRole) == 0.0)
    with qtbot.waitSignal(session.progress_changed):
        pane.watched_action.trigger()
    qtbot.waitUntil(lambda: model.index(1, LectureModel.WATCHED).data(WatchedRole) == 1.0)
    with qtbot.waitSignal(session.progress_changed):
        pane.unwatched_action.trigger()
    qtbot.waitUntil(lambda: model.index(1, LectureModel.WATCHED).data(WatchedRole) == 0.0)

    with open_library(built.root, write=False) as lib:
        me = progress_store.default_profile_id(lib)
        assert progress_store.get_progress(lib, me, SRC, "light").watched
        assert not progress_store.get_progress(lib, other, SRC, "light").watched


def test_keep_offline_keeps_the_series_and_asks_for_a_sync(qtbot, page, session, built):
    optics = pks(built)["optics"]
    open_series(qtbot, page, optics, 1)
    pane = page.lecture_pane
    qtbot.waitUntil(lambda: pane.series is not None and pane.series.pk == optics)
    assert pane.keep_action.isEnabled() and not pane.remove_action.isVisible()
    pane.keep_action.trigger()
    qtbot.waitUntil(lambda: pane.confirm_box is not None)
    assert "2" in pane.confirm_box.text() and "Optics" in pane.confirm_box.text()
    requested = []
    session.sync_requested.connect(requested.append)
    with qtbot.waitSignals([session.sync_requested, session.library_changed]):
        accept(qtbot, pane)
    assert requested == [[optics]]
    with open_library(built.root, write=False) as lib:
        assert lib.db.execute("SELECT series_id FROM kept WHERE series_id = 'optics'").fetchall()
    # The page follows: the series is now kept, so there is nothing to keep.
    qtbot.waitUntil(lambda: pane.series.kept and not pane.keep_action.isVisible())
    assert "Kept offline" in pane.summary.text()


def test_remove_frees_the_series_files_but_not_shared_ones(qtbot, page, session, built):
    astronomy = pks(built)["astronomy"]
    open_series(qtbot, page, astronomy, 2)
    pane = page.lecture_pane
    qtbot.waitUntil(lambda: pane.series is not None and pane.series.pk == astronomy)
    poster_size = len(built.files["media/poster.jpg"])
    with open_library(built.root, write=False) as lib:
        poster = lib.paths.media_file(built.sha("media/poster.jpg"), "jpg")
        shared = lib.paths.media_file(built.sha("media/gravity.mp4"), "mp4")
    pane.remove_action.trigger()
    qtbot.waitUntil(lambda: pane.confirm_box is not None)
    assert QLocale().formattedDataSize(poster_size, 1) in pane.confirm_box.text()
    with qtbot.waitSignal(pane.removed) as removed:
        accept(qtbot, pane)
    assert removed.args[0].bytes_freed == poster_size
    assert not poster.exists()
    assert shared.exists()
    assert "freed" in pane.message.text()
    # Not kept any more: the page offers to keep it again, and its rows are no longer queued.
    qtbot.waitUntil(lambda: not pane.series.kept and pane.keep_action.isVisible())
    model = page.lecture_model
    qtbot.waitUntil(lambda: download(model, "moon")[0] == lecture_states.ABSENT)
    assert download(model, "stars") == (lecture_states.PRESENT, 1.0)


def test_cancel_removes_nothing(qtbot, page, built):
    astronomy = pks(built)["astronomy"]
    open_series(qtbot, page, astronomy, 2)
    pane = page.lecture_pane
    qtbot.waitUntil(lambda: pane.series is not None and pane.series.pk == astronomy)
    pane.remove_action.trigger()
    qtbot.waitUntil(lambda: pane.confirm_box is not None and pane.confirm_box.isVisible())
    pane.confirm_box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: pane.confirm_box is None)
    with open_library(built.root, write=False) as lib:
        assert lib.db.execute("SELECT count(*) FROM kept WHERE series_id = 'astronomy'").fetchone()[0] == 1


def test_thumbnails_arrive_for_stored_pictures_and_frames(qtbot, page, session, built):
    model = open_series(qtbot, page, pks(built)["mechanics"], 3)
    gravity, light, heat = (model.item(n).pk for n in range(3))
    pictures = thumbs.Thumbnails(session.executor)
    ready = []
    pictures.ready.connect(lambda kind, pk: ready.append((kind, pk)))
    assert [pictures.lecture(pk) for pk in (gravity, light, heat)] == [None, None, None]
    qtbot.waitUntil(lambda: {(thumbs.LECTURE, gravity), (thumbs.LECTURE, light)} <= set(ready))
    for pk in (gravity, light):
        pixmap = pictures.lecture(pk)
        assert pixmap is not None and not pixmap.isNull()
        assert pixmap.width() <= thumbs.PICTURE_SIZE.width()
    # The broken video: given up on once, and not asked again.
    qtbot.waitUntil(lambda: pictures.is_missing(thumbs.LECTURE, heat))
    assert pictures.lecture(heat) is None
    assert (thumbs.LECTURE, heat) not in ready
    assert ready.count((thumbs.LECTURE, gravity)) == 1

    series = pks(built)["astronomy"]
    assert pictures.series(series) is None
    qtbot.waitUntil(lambda: (thumbs.SERIES, series) in ready)
    assert not pictures.series(series).isNull()

    # The page's rows show the session's pictures once they arrive.
    qtbot.waitUntil(
        lambda: model.index(0, LectureModel.THUMB).data(Qt.ItemDataRole.DecorationRole) is not None
    )


def test_a_library_change_keeps_the_selection_and_rows(qtbot, page, session, built):
    model = open_series(qtbot, page, pks(built)["mechanics"], 3)
    pane = page.lecture_pane
    pane.view.selectRow(2)
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(model.page_loaded):
        session.library_changed.emit()
    assert not resets
    assert [i.row() for i in pane.view.selectionModel().selectedRows()] == [2]
    assert page.series_pane.view.selectionModel().selectedRows()
    assert model.index(2, 0).data(ItemRole).lecture.id == "heat"


def test_a_series_asked_for_stays_shown_when_the_library_changes(qtbot, page, session, built):
    optics = pks(built)["optics"]
    model = open_series(qtbot, page, optics, 1)
    with qtbot.waitSignal(page.series_model.page_loaded):
        session.library_changed.emit()
    qtbot.waitUntil(lambda: not page.lecture_model.loading)
    assert model.series_pk == optics and page.lecture_pane.series.pk == optics
    assert page.lecture_pane.title.text() == "Optics"


def test_keys_play_and_mark_the_selected_lectures(qtbot, page, session, built):
    model = open_series(qtbot, page, pks(built)["mechanics"], 3)
    pane = page.lecture_pane
    pane.view.setFocus()
    pane.view.selectRow(0)
    with qtbot.waitSignal(page.lecture_requested) as requested:
        qtbot.keyClick(pane.view, Qt.Key.Key_Return)
    assert requested.args == [model.item(0).pk, -1.0]
    pane.view.selectAll()
    with qtbot.waitSignal(session.progress_changed):
        qtbot.keyClick(pane.view, Qt.Key.Key_W)
    qtbot.waitUntil(
        lambda: all(model.index(n, LectureModel.WATCHED).data(WatchedRole) == 1.0 for n in range(3))
    )
    with qtbot.waitSignal(session.progress_changed):
        qtbot.keyClick(pane.view, Qt.Key.Key_W, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(
        lambda: all(model.index(n, LectureModel.WATCHED).data(WatchedRole) == 0.0 for n in range(3))
    )
