"""Presenter mode: the video fullscreen on the projector, the controls on the laptop.

The laptop keeps the player screen with a panel in place of the video: the subtitle
showing now and the next three (to read ahead while teaching), the chapters and the
bookmarks. The projector gets a window of its own holding only the picture.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QScreen, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QGridLayout, QLabel, QListView, QVBoxLayout, QWidget

from player.subtitles import Cue
from player.ui.models import format_duration
from player.ui.player_widgets import NotePopup, VideoArea


def projector_screen(current: QScreen | None, screens: Sequence[QScreen]) -> QScreen | None:
    """The screen to present on: any but the one the controls are on; None with one screen."""
    others = [screen for screen in screens if screen is not current]
    return others[0] if others and current is not None else None


def screen_of(widget: QWidget) -> QScreen | None:
    """The screen showing the middle of `widget`'s window (see PlayerView.controls_screen)."""
    window = widget.window()
    return QGuiApplication.screenAt(window.frameGeometry().center()) or QGuiApplication.primaryScreen()


class ProjectorWindow(QWidget):
    """A frameless top-level window with only the video, fullscreen on the projector."""

    closed = Signal()

    def __init__(self, on_key: Callable[[QKeyEvent], None]) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setWindowTitle(self.tr("Lecture Player — projector"))
        # Closing the main window ends the app even while this one is still up.
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.setObjectName("projector")
        self.setStyleSheet("background-color: black;")
        self.video = VideoArea(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.video)
        self._on_key = on_key

    def show_on(self, screen: QScreen) -> None:
        # Placing the window inside the screen's geometry is what moves it there on every
        # platform; fullscreen then covers exactly that screen.
        self.setGeometry(screen.geometry())
        self.showFullScreen()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The keys work wherever the focus landed: both windows drive one player.
        self._on_key(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)


def _list(title: str) -> tuple[QLabel, QListView, QStandardItemModel]:
    label = QLabel(title)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    view = QListView()
    view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Space and the arrows stay the player's
    view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
    view.setUniformItemSizes(True)
    model = QStandardItemModel(view)
    view.setModel(model)
    return label, view, model


class PresenterPanel(QWidget):
    """What the laptop shows in presenter mode in place of the video."""

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(self.tr("The video is on the projector."))
        heading.setObjectName("presenterHeading")
        self.now = QLabel()
        self.now.setObjectName("subtitleNow")
        self.now.setWordWrap(True)
        font = self.now.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.now.setFont(font)
        upcoming_title = QLabel(self.tr("Upcoming subtitles"))
        bold = upcoming_title.font()
        bold.setBold(True)
        upcoming_title.setFont(bold)
        self.upcoming = QLabel()
        self.upcoming.setObjectName("subtitlesUpcoming")
        self.upcoming.setWordWrap(True)
        self.upcoming.setTextFormat(Qt.TextFormat.PlainText)
        self.upcoming.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        chapters_title, self.chapters, self.chapter_model = _list(self.tr("Chapters"))
        bookmarks_title, self.bookmarks, self.bookmark_model = _list(self.tr("Bookmarks"))
        for view in (self.chapters, self.bookmarks):
            view.activated.connect(self._jump)
            view.clicked.connect(self._jump)
        # A new bookmark's note is typed here, not over the picture the audience sees.
        self.note = NotePopup(self)
        self.note.setStyleSheet("")
        grid = QGridLayout(self)
        grid.addWidget(heading, 0, 0, 1, 2)
        grid.addWidget(self.now, 1, 0, 1, 2)
        grid.addWidget(upcoming_title, 2, 0, 1, 2)
        grid.addWidget(self.upcoming, 3, 0, 1, 2)
        grid.addWidget(chapters_title, 4, 0)
        grid.addWidget(bookmarks_title, 4, 1)
        grid.addWidget(self.chapters, 5, 0)
        grid.addWidget(self.bookmarks, 5, 1)
        grid.setRowStretch(5, 1)
        self._upcoming: list[Cue] = []

    def show_note(self, title: str) -> None:
        self.note.title.setText(title)
        self.note.edit.clear()
        width = min(self.width() - 20, 420)
        self.note.setGeometry((self.width() - width) // 2, 10, width, self.note.sizeHint().height())
        self.note.show()
        self.note.raise_()
        self.note.edit.setFocus()

    def set_current(self, text: str) -> None:
        self.now.setText(text)

    def set_upcoming(self, cues: list[Cue] | None) -> None:
        """The next cues; None when the subtitles come from inside the video file, whose
        cues Qt hands over only as they show."""
        if cues is None:
            self.upcoming.setText(self.tr("Shown only for subtitle files, not for tracks inside the video."))
            return
        if cues == self._upcoming and self.upcoming.text():
            return
        self._upcoming = list(cues)
        lines = [f"{format_duration(cue.start)}  {cue.text}" for cue in cues]
        self.upcoming.setText("\n".join(lines) if lines else self.tr("No more subtitles."))

    def set_chapters(self, chapters: list[tuple[float, str]]) -> None:
        self._fill(
            self.chapter_model, [(start, f"{format_duration(start)}  {title}") for start, title in chapters]
        )

    def set_bookmarks(self, bookmarks: list[tuple[float, str]]) -> None:
        self._fill(self.bookmark_model, bookmarks)

    @staticmethod
    def _fill(model: QStandardItemModel, rows: list[tuple[float, str]]) -> None:
        model.clear()
        for seconds, text in rows:
            item = QStandardItem(text)
            item.setData(seconds, Qt.ItemDataRole.UserRole)
            model.appendRow(item)

    def _jump(self, index: QModelIndex) -> None:
        seconds = index.data(Qt.ItemDataRole.UserRole)
        if seconds is not None:
            self.seek_requested.emit(float(seconds))
