import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dataclasses  # noqa: E402
import threading  # noqa: E402
from contextlib import contextmanager  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QModelIndex, Qt  # noqa: E402

from player.library.db import open_library  # noqa: E402
from player.library.kept import keep_series  # noqa: E402
from player.library.progress_store import add_profile, default_profile_id, save_progress  # noqa: E402
from player.progress import ProgressUpdate  # noqa: E402
from player.ui.home import HomePage  # noqa: E402
from player.ui.home_delegates import SeriesCardDelegate  # noqa: E402
from player.ui.home_models import SpeakersRole  # noqa: E402
from player.ui.session import Session  # noqa: E402
from player.ui.tasks import LibraryExecutor  # noqa: E402
from player.ui.thumbs import LECTURE, SERIES  # noqa: E402
from tests.ui_helpers import SOURCE_ID, make_library, ui_language  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english(qapp):
    with ui_language(qapp, "en"):
        yield


@contextmanager
def home_page(qtbot, root, *, install_sample=False, size=(1180, 720)):
    """A HomePage over the library at `root`, shown and read once, as the window does."""
    executor = LibraryExecutor(root)
    try:
        with qtbot.waitSignal(executor.opened, timeout=30000):
            executor.open(install_sample=install_sample)
        session = Session(executor)
        page = HomePage(session)
        qtbot.addWidget(page)
        page.resize(*size)
        page.show()
        page.refresh()
        qtbot.waitUntil(lambda: page.series_count is not None)
        yield page
    finally:
        executor.shutdown()


def save(lib, lecture_id, *, position=0.0, completed=False, at="2026-11-01T10:00:00Z", profile=None):
    profile = profile if profile is not None else default_profile_id(lib)
    update = ProgressUpdate(profile, SOURCE_ID, lecture_id, position, 2000.0, 60.0, completed, None, None)
    save_progress(lib, update, at=at)


class Library(str):
    """A closed library's folder, with its lecture pks by id (read before the page opens it)."""

    pks: dict[str, int]


def pk_of(root: Library, lecture_id: str) -> int:
    return root.pks[lecture_id]


def click(qtbot, view, index):
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


@pytest.fixture
def watched_library(tmp_path):
    root = make_library(tmp_path / "lib", 5, n_lectures=4, kept=("s0000",))
    with open_library(root, install_sample=False) as lib:
        save(lib, "s0001-l001", position=600.0, at="2026-11-01T10:00:00Z")
        save(lib, "s0003-l002", position=60.0, at="2026-11-02T10:00:00Z")
        save(lib, "s0002-l000", completed=True, at="2026-11-03T10:00:00Z")
        pks = dict(lib.db.execute("SELECT id, pk FROM lectures").fetchall())
    library = Library(root)
    library.pks = pks
    return library


@pytest.fixture(scope="module")
def many_series(tmp_path_factory):
    return make_library(tmp_path_factory.mktemp("home") / "lib", 150, n_lectures=2)


@pytest.fixture(scope="module")
def sample_library(tmp_path_factory):
    """The built-in sample, whose subtitles are indexed for search as it is installed."""
    root = tmp_path_factory.mktemp("sample") / "lib"
    open_library(root, install_sample=True).close()
    return root


def test_the_rows_fill_from_saved_progress(qtbot, watched_library):
    with home_page(qtbot, watched_library) as page:
        qtbot.waitUntil(lambda: page.continue_model.rowCount() == 2)
        assert [c.pk for c in page.continue_model.items()] == [
            pk_of(watched_library, "s0003-l002"),
            pk_of(watched_library, "s0001-l001"),
        ]
        assert [c.pk for c in page.next_model.items()] == [pk_of(watched_library, "s0002-l001")]
        assert page.continue_view.isVisible() and page.continue_heading.isVisible()
        assert page.next_view.isVisible() and page.next_heading.isVisible()
        delegate = page.continue_view.itemDelegate()
        assert delegate.time_text(page.continue_model.item(0)) == "33 min left"  # 1,940 s, rounded up
        card = page.continue_model.item(0)
        nearly_done = dataclasses.replace(card, position=card.duration - 30)
        assert delegate.time_text(nearly_done) == "Less than a minute left"


def test_an_empty_row_is_hidden_with_its_heading(qtbot, tmp_path):
    root = make_library(tmp_path / "lib", 3, n_lectures=2)
    with home_page(qtbot, root) as page:
        qtbot.waitUntil(lambda: page.series_model.rowCount() == 3)
        assert not page.continue_heading.isVisible() and not page.continue_view.isVisible()
        assert not page.next_heading.isVisible() and not page.next_view.isVisible()
        assert page.grid.isVisible()


def test_clicking_cards_opens_lectures_and_series(qtbot, watched_library):
    with home_page(qtbot, watched_library) as page:
        qtbot.waitUntil(lambda: page.continue_model.rowCount() == 2 and page.series_model.rowCount() == 5)
        view = page.continue_view
        with qtbot.waitSignal(page.lecture_requested) as opened:
            click(qtbot, view, page.continue_model.index(1))
        assert opened.args == [pk_of(watched_library, "s0001-l001"), -1.0]

        with qtbot.waitSignal(page.lecture_requested) as opened:
            click(qtbot, page.next_view, page.next_model.index(0))
        assert opened.args == [pk_of(watched_library, "s0002-l001"), -1.0]

        third = page.series_model.index(2)
        with qtbot.waitSignal(page.series_requested) as opened:
            click(qtbot, page.grid, third)
        assert opened.args == [page.series_model.card(2).pk]

        # The keyboard: Right moves to the next series, Enter opens it.
        page.grid.setFocus()
        qtbot.keyClick(page.grid, Qt.Key.Key_Right)
        with qtbot.waitSignal(page.series_requested) as opened:
            qtbot.keyClick(page.grid, Qt.Key.Key_Return)
        assert opened.args == [page.series_model.card(3).pk]


def test_series_cards_show_speakers_progress_and_download_state(qtbot, watched_library):
    with home_page(qtbot, watched_library) as page:
        model = page.series_model
        qtbot.waitUntil(lambda: model.rowCount() == 5 and model.index(4).data(SpeakersRole) is not None)
        delegate = page.grid.itemDelegate()
        assert isinstance(delegate, SeriesCardDelegate)
        kept, online = model.card(0), model.card(1)
        assert delegate.badge(kept, False) == ("Not downloaded yet", False)  # kept, nothing stored yet
        assert delegate.badge(kept, True) == ("Downloading 0%", False)
        assert delegate.badge(online, False) == ("Online only", False)
        watched = model.card(2)
        assert watched.watched_count == 1
        assert delegate.detail(watched, model.index(2).data(SpeakersRole)).endswith("1 of 4 watched")
        assert model.card(3).watched_count == 0  # started is not watched


def test_the_grid_loads_series_as_it_scrolls(qtbot, many_series):
    with home_page(qtbot, many_series, size=(900, 600)) as page:
        model = page.series_model
        qtbot.waitUntil(lambda: model.rowCount() > 0 and not model.loading)
        first = model.rowCount()
        assert first < 150  # one page or so, not everything
        bar = page.scroll.verticalScrollBar()
        while model.rowCount() < 150:
            before = model.rowCount()
            qtbot.waitUntil(lambda: bar.maximum() > bar.value())  # the new rows are laid out
            bar.setValue(bar.maximum())
            qtbot.waitUntil(lambda before=before: model.rowCount() > before)
        assert model.card(149).title["en"] == "Science series 149"
        assert not model.canFetchMore(QModelIndex())


def test_saved_progress_updates_cards_in_place(qtbot, watched_library):
    with home_page(qtbot, watched_library) as page:
        model = page.series_model
        qtbot.waitUntil(lambda: page.continue_model.rowCount() == 2 and model.rowCount() == 5)
        resets = []
        model.modelReset.connect(lambda: resets.append("grid"))
        page.continue_model.modelReset.connect(lambda: resets.append("row"))
        bar = page.scroll.verticalScrollBar()
        bar.setValue(bar.maximum())
        scrolled = bar.value()

        def watch(lib):
            save(lib, "s0003-l002", position=1200.0, at="2026-11-05T10:00:00Z")
            save(lib, "s0004-l000", completed=True, at="2026-11-05T10:00:00Z")

        page.session.executor.submit(
            watch, lambda _r: [page.session.progress_changed.emit() for _ in range(5)]
        )
        qtbot.waitUntil(lambda: model.card(4).watched_count == 1)
        qtbot.waitUntil(lambda: page.continue_model.item(0).position == 1200.0)
        assert resets == []  # the same items: updated, not rebuilt
        assert bar.value() == scrolled


def test_search_finds_a_title(qtbot, sample_library):
    with home_page(qtbot, sample_library, install_sample=True) as page:
        qtbot.keyClicks(page.search_box, "planets")
        assert page.stack.currentWidget() is page.results_page
        qtbot.waitUntil(lambda: page.search_model.rowCount() > 0)
        hit = page.search_model.item(0)
        assert hit.kind == "lecture"
        assert hit.title["en"] == "Planets of the Solar System"
        with qtbot.waitSignal(page.lecture_requested) as opened:
            qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
        assert opened.args == [hit.lecture_pk, -1.0]

        qtbot.keyClick(page.search_box, Qt.Key.Key_Escape)
        assert page.search_box.text() == ""
        assert page.stack.currentWidget() is page.scroll


def test_search_finds_a_subtitle_line_and_opens_it_at_its_time(qtbot, sample_library):
    with home_page(qtbot, sample_library, install_sample=True) as page:
        qtbot.keyClicks(page.search_box, "makes no light")
        qtbot.waitUntil(lambda: any(h.kind == "subtitle" for h in page.search_model.items()))
        row = next(n for n, h in enumerate(page.search_model.items()) if h.kind == "subtitle")
        hit = page.search_model.item(row)
        assert "The Moon makes no light" in hit.snippet
        assert hit.title["en"] == "Phases of the Moon"
        assert hit.start == 4.0

        # Down from the box moves into the results; Enter opens the chosen one.
        page.search_box.setFocus()
        qtbot.keyClick(page.search_box, Qt.Key.Key_Down)
        assert page.results_view.currentIndex().row() == 0
        for _ in range(row):
            qtbot.keyClick(page.results_view, Qt.Key.Key_Down)
        with qtbot.waitSignal(page.lecture_requested) as opened:
            qtbot.keyClick(page.results_view, Qt.Key.Key_Return)
        assert opened.args == [hit.lecture_pk, 4.0]


def test_search_drops_answers_that_were_typed_over(qtbot, sample_library):
    with home_page(qtbot, sample_library, install_sample=True) as page:
        shown = []
        page.search_model.modelReset.connect(
            lambda: shown.append([h.title["en"] for h in page.search_model.items()])
        )
        # Hold the library thread so both searches wait in its queue, as on a busy library.
        release = threading.Event()
        page.session.executor.submit(lambda _lib: release.wait(10))
        generation = page._search_generation
        page.search_box.setText("moon")
        qtbot.waitUntil(lambda: page._search_generation == generation + 1)  # its query is queued
        page.search_box.setText("planets")
        qtbot.waitUntil(lambda: page._search_generation == generation + 2)
        release.set()
        qtbot.waitUntil(lambda: page.search_model.rowCount() > 0)
        assert page.search_model.item(0).title["en"] == "Planets of the Solar System"
        assert all("Phases of the Moon" not in titles for titles in shown)

        # An answer for an older generation is ignored even when it does arrive.
        stale = page.search_model.items()
        page._on_hits(generation + 1, "moon", [])
        assert page.search_model.items() == stale


def test_an_empty_library_offers_to_get_lectures(qtbot, tmp_path):
    root = make_library(tmp_path / "lib", 0)
    with home_page(qtbot, root) as page:
        assert page.series_count == 0
        assert page.stack.currentWidget() is page.empty_page
        assert page.empty_page.title.text() == "Your library is empty"
        assert page.get_button.isVisible()
        with qtbot.waitSignal(page.get_lectures_requested):
            qtbot.mouseClick(page.get_button, Qt.MouseButton.LeftButton)


def test_a_screenshot_of_the_populated_home(qtbot, sample_library, tmp_path):
    with home_page(qtbot, sample_library, install_sample=True, size=(1180, 900)) as page:
        qtbot.waitUntil(lambda: page.series_model.rowCount() == 2)
        qtbot.waitUntil(lambda: page.series_model.index(1).data(SpeakersRole) is not None)
        shot = tmp_path / "home.png"
        assert page.grab().save(str(shot))
        image = page.grab().toImage()
        # The first series card paints something (picture or placeholder) on the background.
        rect = page.grid.visualRect(page.series_model.index(0))
        corner = page.grid.viewport().mapTo(page, rect.topLeft())
        background = image.pixelColor(corner.x() + 1, corner.y() + 1)
        centre = page.grid.viewport().mapTo(page, rect.center())
        colours = {
            image.pixelColor(centre.x() + dx, centre.y() - 40 + dy).rgb()
            for dx in range(0, 60, 6)
            for dy in range(0, 30, 6)
        }
        assert colours - {background.rgb()}


def test_switching_profile_shows_that_profiles_progress(qtbot, watched_library):
    with open_library(watched_library, install_sample=False) as lib:
        guest = add_profile(lib, "Guest").id
        save(lib, "s0004-l003", position=100.0, profile=guest)
        save(lib, "s0004-l000", completed=True, profile=guest)
    with home_page(qtbot, watched_library) as page:
        model = page.series_model
        qtbot.waitUntil(lambda: page.continue_model.rowCount() == 2 and model.rowCount() == 5)
        page.session.set_profile(guest)
        qtbot.waitUntil(
            lambda: [c.pk for c in page.continue_model.items()] == [pk_of(watched_library, "s0004-l003")]
        )
        qtbot.waitUntil(lambda: model.card(4).watched_count == 1)
        assert model.card(2).watched_count == 0  # the default profile's watched lecture
        assert [c.pk for c in page.next_model.items()] == [pk_of(watched_library, "s0004-l001")]


def test_keeping_a_series_and_sync_events_update_its_badge(qtbot, watched_library):
    with home_page(qtbot, watched_library) as page:
        model = page.series_model
        qtbot.waitUntil(lambda: model.rowCount() == 5)
        resets = []
        model.modelReset.connect(lambda: resets.append(True))
        delegate = page.grid.itemDelegate()
        assert delegate.badge(model.card(1), model.downloading)[0] == "Online only"

        page.session.executor.submit(
            lambda lib: keep_series(lib, SOURCE_ID, "s0001"), lambda _r: page.session.library_changed.emit()
        )
        qtbot.waitUntil(lambda: model.card(1).kept)
        assert delegate.badge(model.card(1), model.downloading)[0] == "Not downloaded yet"

        page.session.sync_event.emit("bytes", {"done": 0, "total": 1})
        assert model.downloading
        assert delegate.badge(model.card(1), model.downloading)[0] == "Downloading 0%"
        page.session.sync_event.emit("finished", {})
        assert not model.downloading
        assert resets == []


def test_a_picture_that_arrives_repaints_its_cards(qtbot, watched_library):
    with home_page(qtbot, watched_library) as page:
        qtbot.waitUntil(lambda: page.continue_model.rowCount() == 2 and page.series_model.rowCount() == 5)
        pk = page.continue_model.item(1).pk
        with qtbot.waitSignal(page.continue_model.dataChanged) as changed:
            page.session.thumbnails.ready.emit(LECTURE, pk)
        assert changed.args[0].row() == 1
        series = page.series_model.card(3).pk
        with qtbot.waitSignal(page.series_model.dataChanged) as changed:
            page.session.thumbnails.ready.emit(SERIES, series)
        assert changed.args[0].row() == 3


def test_down_from_the_empty_search_box_moves_to_the_first_card(qtbot, watched_library):
    with home_page(qtbot, watched_library) as page:
        qtbot.waitUntil(lambda: page.continue_model.rowCount() == 2)
        page.search_box.setFocus()
        qtbot.keyClick(page.search_box, Qt.Key.Key_Down)
        assert page.continue_view.hasFocus()
        with qtbot.waitSignal(page.lecture_requested) as opened:
            qtbot.keyClick(page.continue_view, Qt.Key.Key_Return)
        assert opened.args == [page.continue_model.item(0).pk, -1.0]
