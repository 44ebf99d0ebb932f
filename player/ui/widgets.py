"""Small widgets and helpers shared by the screens."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QLocale, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)


def table_view(model: QAbstractItemModel, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    rows = view.verticalHeader()
    rows.hide()
    rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    # Content-sized columns would measure every row; fixed widths keep lazy loading cheap.
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def busy_bar(*, hidden: bool = False) -> QProgressBar:
    """A bar that moves without a percentage: work under way whose length is unknown."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setVisible(not hidden)
    return bar


def size_text(n: int) -> str:
    """A byte count as people read it, in the UI's language ("1.4 GB", "1.4 GiB")."""
    return QLocale().formattedDataSize(n, 1)


def mute(label: QLabel) -> None:
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText))
    label.setPalette(palette)


class StatePage(QWidget):
    """A centred message for the moments without a list: opening, empty, failed."""

    def __init__(self, title: str = "", detail: str = "", *, busy: bool = False) -> None:
        super().__init__()
        self.title = QLabel(title)
        self.title.setObjectName("stateTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title.setFont(font)
        self.detail = QLabel(detail)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mute(self.detail)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for label in (self.title, self.detail):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(label)
        if busy:
            bar = busy_bar()
            bar.setFixedWidth(220)
            layout.addWidget(bar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def set_text(self, title: str, detail: str = "") -> None:
        self.title.setText(title)
        self.detail.setText(detail)
