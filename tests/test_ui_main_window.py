import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from player.ui.models import LectureModel, SeriesModel  # noqa: E402
from tests.ui_helpers import make_library, running_launcher, ui_language  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english(qapp):
    with ui_language(qapp, "en"):
        yield


@pytest.fixture(scope="module")
def big_library(tmp_path_factory):
    return make_library(tmp_path_factory.mktemp("ui") / "lib", 150, n_lectures=3, kept=("s0001",))


def test_the_window_says_it_is_opening_the_library(qtbot, big_library):
    with running_launcher(qtbot, big_library) as launcher:
        window = launcher.window
        assert window.isVisible()
        assert window.pages.currentWidget() is window.loading_page
        assert window.statusBar().currentMessage() == "Opening library…"
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.home_page)
        assert window.toolbar.isEnabled()
        assert window.screen_actions["home"].isChecked()


def test_the_toolbar_moves_between_the_screens(qtbot, big_library):
    with running_launcher(qtbot, big_library) as launcher:
        window = launcher.window
        qtbot.waitUntil(lambda: window.toolbar.isEnabled())
        for name in ("library", "get", "settings", "home"):
            window.screen_actions[name].trigger()
            page = getattr(window, f"{name}_page")
            assert window.pages.currentWidget() is page
            assert page.isVisible()
            assert window.screen_actions[name].isChecked()


def test_the_series_list_fills_as_it_scrolls(qtbot, big_library):
    with running_launcher(qtbot, big_library) as launcher:
        window = launcher.window
        model = window.series_model
        qtbot.waitUntil(lambda: model.rowCount() == 100)
        window.show_library()
        assert window.statusBar().currentMessage() == "150 series"

        view = window.series_pane.view
        assert view.model() is model
        view.scrollToBottom()
        qtbot.waitUntil(lambda: model.rowCount() == 150)
        assert model.index(149, SeriesModel.TITLE).data() == "Science series 149"
        assert not model.canFetchMore(model.index(-1, -1))


def test_selecting_a_series_lists_its_lectures(qtbot, big_library):
    with running_launcher(qtbot, big_library) as launcher:
        window = launcher.window
        pane = window.lecture_pane
        # The first series is chosen as soon as the list arrives.
        qtbot.waitUntil(lambda: window.lecture_model.rowCount() == 3)
        window.show_library()
        assert pane.title.text() == "Science series 0"
        assert pane.view.isVisible()

        window.series_pane.view.selectRow(1)
        qtbot.waitUntil(lambda: pane.title.text() == "Science series 1")
        qtbot.waitUntil(lambda: window.lecture_model.rowCount() == 3)
        assert "Kept offline" in pane.summary.text()
        assert "3 lectures" in pane.summary.text()
        title = window.lecture_model.index(0, LectureModel.TITLE).data()
        assert title.endswith("part 1")


def test_a_progress_backup_is_taken_once_the_app_has_started(qtbot, tmp_path, monkeypatch):
    from player.ui import main_window

    monkeypatch.setattr(main_window, "UPKEEP_DELAY_MS", 0)
    root = make_library(tmp_path / "lib", 2)
    backups = root / "backups"
    assert not list(backups.glob("progress-*.db"))
    with running_launcher(qtbot, root):
        qtbot.waitUntil(lambda: len(list(backups.glob("progress-*.db"))) == 1)
