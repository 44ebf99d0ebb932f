import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from player import textutil  # noqa: E402
from player.library import queries  # noqa: E402
from player.ui.models import ItemRole, LectureModel, SeriesModel, format_duration  # noqa: E402
from player.ui.tasks import LibraryExecutor, run_task, to_main  # noqa: E402
from tests.ui_helpers import make_library  # noqa: E402

pytestmark = pytest.mark.gui

N_SERIES = 150  # more than one page of 100


@pytest.fixture(scope="module")
def big_library(tmp_path_factory):
    return make_library(tmp_path_factory.mktemp("ui") / "lib", N_SERIES, n_lectures=3, kept=("s0001",))


@pytest.fixture
def executor(qapp, qtbot, big_library):
    executor = LibraryExecutor(big_library)
    with qtbot.waitSignal(executor.opened):
        executor.open(install_sample=False)
    yield executor
    executor.shutdown()


@pytest.fixture
def chinese_first():
    saved = list(textutil._preferred)
    textutil.set_preferred_languages(["zh", "en"])
    yield
    textutil.set_preferred_languages(saved)


def test_run_task_delivers_the_result_on_the_gui_thread(qtbot):
    seen = []
    run_task(threading.get_ident, lambda worker: seen.append((worker, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(seen))
    worker, caller = seen[0]
    assert caller == threading.get_ident()
    assert worker != caller


def test_run_task_delivers_the_exception(qtbot):
    errors = []

    def fail():
        raise ValueError("nope")

    run_task(fail, lambda _r: pytest.fail("no result expected"), errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)


def test_to_main_from_a_worker_thread(qtbot):
    seen = []
    run_task(lambda: to_main(seen.append, threading.get_ident()))
    qtbot.waitUntil(lambda: bool(seen))


def test_every_query_runs_on_the_one_library_thread(qtbot, executor):
    threads = []
    for _ in range(5):
        executor.submit(lambda _lib: threading.get_ident(), threads.append)
    qtbot.waitUntil(lambda: len(threads) == 5)
    assert len(set(threads)) == 1
    assert threads[0] != threading.get_ident()


def test_series_model_fetches_pages_on_demand(qtbot, executor):
    model = SeriesModel(executor, page_size=100)
    model.restart()
    qtbot.waitUntil(lambda: model.rowCount() == 100)
    assert model.canFetchMore(model.index(-1, -1))
    with qtbot.waitSignal(model.page_loaded):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == N_SERIES
    assert not model.canFetchMore(model.index(-1, -1))
    assert model.index(0, SeriesModel.TITLE).data() == "Science series 0"
    assert model.index(149, SeriesModel.TITLE).data() == "Science series 149"
    assert model.index(0, SeriesModel.LECTURES).data() == "3"
    assert model.index(0, SeriesModel.OFFLINE).data() == "Online only"
    assert model.index(1, SeriesModel.OFFLINE).data().startswith("Kept offline")
    summary = model.index(1, 0).data(ItemRole)
    assert isinstance(summary, queries.SeriesSummary) and summary.kept


def test_series_titles_follow_the_display_language(qtbot, executor, chinese_first):
    model = SeriesModel(executor)
    model.restart()
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    assert model.index(0, SeriesModel.TITLE).data() == "科学系列0"


def test_lecture_model_shows_one_series(qtbot, executor):
    series = SeriesModel(executor)
    series.restart()
    qtbot.waitUntil(lambda: series.rowCount() > 2)
    first, second = (series.index(r, 0).data(ItemRole) for r in (0, 2))

    model = LectureModel(executor)
    model.set_series(first.pk)
    model.set_series(second.pk)  # the answer for the first series must be dropped
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    assert not model.canFetchMore(model.index(-1, -1))
    assert all(model.item(r).series_pk == second.pk for r in range(3))
    assert model.index(0, LectureModel.NUMBER).data() == "1"
    assert "part 1" in model.index(0, LectureModel.TITLE).data()
    assert model.index(0, LectureModel.SPEAKERS).data()
    assert ":" in model.index(0, LectureModel.DURATION).data()
    assert model.headerData(LectureModel.TITLE, Qt.Orientation.Horizontal) == "Title"

    model.set_series(None)
    assert model.rowCount() == 0 and not model.canFetchMore(model.index(-1, -1))


def test_a_failed_query_is_reported(qtbot, tmp_path):
    unopened = LibraryExecutor(tmp_path / "never-opened")
    model = SeriesModel(unopened)
    with qtbot.waitSignal(model.failed) as failed:
        model.restart()
    assert "not open" in failed.args[0]
    assert not model.canFetchMore(model.index(-1, -1))
    unopened.shutdown()


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0:00"), (59.6, "1:00"), (605, "10:05"), (3723, "1:02:03")]
)
def test_format_duration(seconds, shown):
    assert format_duration(seconds) == shown
