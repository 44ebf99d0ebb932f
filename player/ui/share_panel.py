"""Sharing this library on the local network, and finding the libraries others share.

The share is the same read-only mirror `lecture-player serve` runs (player/share/server.py),
listening on every interface only while the switch is on, and announced with mDNS so
other machines list it under "On this network". Starting, announcing, stopping and
browsing all touch the network or the disk, so they run on threads of their own.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from player import jsondepth
from player.errors import BadInput, FetchError
from player.share.discovery import Announcement, DiscoveryUnavailable, Share, browse
from player.share.server import DEFAULT_PORT, RunningShare
from player.ui.models import Index, ItemRole
from player.ui.tasks import run_task
from player.ui.widgets import mute

BROWSE_INTERVAL_MS = 10_000
BROWSE_SECONDS = 3.0


@dataclass
class ShareRunning:
    """A running share and what others need to reach it."""

    share: RunningShare
    announcement: Announcement | None
    not_announced: str  # why it is not announced, or ""
    urls: list[str]  # http://IP:PORT/<source-id>/ for each source and address

    def stop(self) -> None:
        try:
            if self.announcement is not None:
                self.announcement.close()
        finally:
            self.share.stop()


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses others can reach (loopback only when there is nothing else)."""
    import ifaddr  # comes with zeroconf

    found: list[str] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if ip.is_IPv4 and not ipaddress.ip_address(ip.ip).is_loopback and ip.ip not in found:
                found.append(ip.ip)
    return found or ["127.0.0.1"]


def start_share(root: Path, port: int, name: str | None = None) -> ShareRunning:
    """Serve the library at `root` on every interface, and announce it."""
    try:
        share = RunningShare(root, bind="0.0.0.0", port=port)
    except BadInput:
        if port != DEFAULT_PORT:
            raise
        # The usual port is taken (another program, or a `serve` already running): any free one.
        share = RunningShare(root, bind="0.0.0.0", port=0)
    sources = list(share.keeper.view.sources)
    if not sources:
        share.server.server_close()
        raise BadInput(
            "There is nothing to share: the library has no sources.",
            hint="Add a source first; the lectures it holds can then be shared.",
        )
    share.start()
    port = share.server.port
    urls = [f"http://{ip}:{port}/{s}/" for ip in lan_addresses() for s in sources]
    announcement, why = None, ""
    try:
        announcement = Announcement(
            name=name or socket.gethostname().split(".")[0], bind="0.0.0.0", port=port, sources=sources
        )
    except DiscoveryUnavailable as exc:
        why = str(exc)
    except BaseException:
        share.stop()
        raise
    return ShareRunning(share, announcement, why, urls)


def share_source_urls(address: str, timeout: float = 10.0) -> list[str]:
    """The source addresses a share at `http://IP:PORT` lists in its index."""
    base = address.rstrip("/") + "/"
    try:
        with urllib.request.urlopen(base + "index.json", timeout=timeout) as response:
            index = jsondepth.loads(response.read(1 << 20), "index.json")
        ids = [s["id"] for s in index["sources"] if isinstance(s.get("id"), str)]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, BadInput) as exc:
        raise FetchError(
            f"{base} did not answer as a Lecture Player share ({exc}).",
            hint="Check the address the other computer shows, or type the whole source address.",
        ) from None
    if not ids:
        raise FetchError(f"{base} shares no sources.", hint="Ask the other computer to add a source first.")
    return [f"{base}{source_id}/" for source_id in ids]


@dataclass(frozen=True)
class NearbySource:
    share: Share
    source_id: str

    @property
    def url(self) -> str:
        return self.share.source_url(self.source_id)


class NearbyModel(QAbstractListModel):
    """The sources of the shares found nearby, one row each: there are few."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[NearbySource] = []

    def set_shares(self, shares: list[Share]) -> None:
        rows = [NearbySource(share, source_id) for share in shares for source_id in share.sources]
        if rows == self._rows:
            return  # a browse every few seconds must not reset the user's selection
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def item(self, row: int) -> NearbySource:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ItemRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                self.tr("%1 on %2 — %3")
                .replace("%1", row.source_id)
                .replace("%2", row.share.name)
                .replace("%3", row.url)
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.url
        return None


def _one_thread(parent: QObject) -> QThreadPool:
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(1)
    return pool


class SharePanel(QGroupBox):
    """The switch that shares this library, and the list of libraries shared nearby."""

    add_requested = Signal(str)  # a source URL to add through the usual add-source dialog
    share_changed = Signal(bool)  # whether the share is running now
    browsed = Signal()  # a look for shares nearby ended (found, nothing, or failed)

    def __init__(self, library_dir: Callable[[], Path], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Local network"), parent)
        self._library_dir = library_dir
        self.port = DEFAULT_PORT
        self.running: ShareRunning | None = None
        self._switching = False
        self._browsing = False
        self._closing = False
        self._share_pool = _one_thread(self)
        # Every share a start job made and no stop job ended yet, seen from any thread, so
        # that closing stops one whose start was not reported yet.
        self._live: list[ShareRunning] = []
        self._browse_pool = _one_thread(self)

        self.share_switch = QCheckBox(self.tr("Share this library on the local network (read-only)"))
        self.share_switch.toggled.connect(self._on_switch)
        self.share_status = QLabel(self.tr("Not shared. Other computers cannot reach this library."))
        self.share_status.setWordWrap(True)
        self.share_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.nearby_model = NearbyModel(self)
        self.nearby_view = QListView()
        self.nearby_view.setModel(self.nearby_model)
        self.nearby_view.setUniformItemSizes(True)
        self.nearby_view.setMaximumHeight(self.fontMetrics().height() * 6)
        self.nearby_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.nearby_view.doubleClicked.connect(lambda _index: self._add_selected())
        self.nearby_status = QLabel(self.tr("Looking for libraries shared on this network…"))
        self.nearby_status.setWordWrap(True)
        mute(self.nearby_status)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.browse_now)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.clicked.connect(self._add_selected)
        self.manual_edit = QLineEdit()
        self.manual_edit.setPlaceholderText(self.tr("http://IP:PORT/<source-id>/"))
        self.manual_edit.returnPressed.connect(self._add_manual)
        self.manual_button = QPushButton(self.tr("Add address"))
        self.manual_button.clicked.connect(self._add_manual)

        self.timer = QTimer(self)
        self.timer.setInterval(BROWSE_INTERVAL_MS)
        self.timer.timeout.connect(self.browse_now)

        nearby_title = QLabel(self.tr("On this network"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.nearby_status, 1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.add_button)
        manual = QHBoxLayout()
        manual.addWidget(QLabel(self.tr("Or type a share's address:")))
        manual.addWidget(self.manual_edit, 1)
        manual.addWidget(self.manual_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.share_switch)
        layout.addWidget(self.share_status)
        layout.addWidget(nearby_title)
        layout.addWidget(self.nearby_view)
        layout.addLayout(buttons)
        layout.addLayout(manual)
        self._update_buttons()

    # -- sharing ----------------------------------------------------------------------

    def _update_buttons(self) -> None:
        self.share_switch.setEnabled(not self._switching and not self._closing)
        self.refresh_button.setEnabled(not self._browsing)
        self.add_button.setEnabled(self.nearby_view.selectionModel().hasSelection())

    def _on_switch(self, on: bool) -> None:
        if self._switching or self._closing:
            return
        if on and self.running is None:
            self._start()
        elif not on and self.running is not None:
            self._stop()

    def _start(self) -> None:
        self._switching = True
        self._update_buttons()
        self.share_status.setText(self.tr("Starting the share…"))
        root, port, live = self._library_dir(), self.port, self._live

        def start() -> ShareRunning:
            running = start_share(root, port)
            live.append(running)
            return running

        run_task(start, self._on_started, self._on_start_failed, owner=self, pool=self._share_pool)

    def _on_started(self, running: ShareRunning) -> None:
        self._switching = False
        if self._closing or not self.share_switch.isChecked():
            # Switched off (or closed) while it was starting: stop it again at once.
            run_task(lambda: self._end(running), owner=self, pool=self._share_pool)
            self._update_buttons()
            return
        self.running = running
        lines = [self.tr("Shared on this network. Others add a source with one of these addresses:")]
        lines += running.urls
        if running.not_announced:
            lines.append(
                self.tr("It is not announced, so others must type the address: %1").replace(
                    "%1", running.not_announced
                )
            )
        self.share_status.setText("\n".join(lines))
        self._update_buttons()
        self.share_changed.emit(True)

    def _on_start_failed(self, exc: BaseException) -> None:
        self._switching = False
        self.share_switch.blockSignals(True)
        self.share_switch.setChecked(False)
        self.share_switch.blockSignals(False)
        self.share_status.setText(self.tr("The library could not be shared: %1").replace("%1", str(exc)))
        self._update_buttons()
        self.share_changed.emit(False)

    def _stop(self) -> None:
        running, self.running = self.running, None
        if running is None:
            return
        self._switching = True
        self._update_buttons()
        self.share_status.setText(self.tr("Stopping the share…"))
        run_task(
            lambda: self._end(running),
            self._on_stopped,
            self._on_stop_failed,
            owner=self,
            pool=self._share_pool,
        )

    def _end(self, running: ShareRunning) -> None:
        if running in self._live:
            self._live.remove(running)
            running.stop()

    def _on_stopped(self, _result: object = None) -> None:
        self._switching = False
        self.share_status.setText(self.tr("Not shared. Other computers cannot reach this library."))
        self._update_buttons()
        self.share_changed.emit(False)

    def _on_stop_failed(self, exc: BaseException) -> None:
        self._on_stopped()
        self.share_status.setText(self.tr("The share stopped with an error: %1").replace("%1", str(exc)))

    # -- finding shares ---------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: ANN001 - Qt's signature
        super().showEvent(event)
        if not self._closing:
            self.timer.start()
            self.browse_now()

    def hideEvent(self, event) -> None:  # noqa: ANN001 - Qt's signature
        self.timer.stop()
        super().hideEvent(event)

    def browse_now(self) -> None:
        """Look for shares nearby (a few seconds, on a thread of its own)."""
        if self._browsing or self._closing:
            return
        self._browsing = True
        self._update_buttons()
        run_task(
            lambda: browse(BROWSE_SECONDS),
            self._on_browsed,
            self._on_browse_failed,
            owner=self,
            pool=self._browse_pool,
        )

    def _is_ours(self, share: Share) -> bool:
        running = self.running
        if running is None or share.port != running.share.server.port:
            return False
        return (
            any(url.startswith(share.url) for url in running.urls)
            or share.host == socket.gethostname().split(".")[0]
        )

    def _on_browsed(self, shares: list[Share]) -> None:
        self._browsing = False
        # This library's own share is no source for itself.
        shares = [s for s in shares if not self._is_ours(s)]
        self.nearby_model.set_shares(shares)
        if shares:
            self.nearby_status.setText(
                self.tr("%n shared library(s) found. Choose a source and press Add.", "", len(shares))
            )
        else:
            self.nearby_status.setText(
                self.tr(
                    "No shared library answered. Switch on sharing on the other computer, "
                    "or type its address below."
                )
            )
        self._update_buttons()
        self.browsed.emit()

    def _on_browse_failed(self, exc: BaseException) -> None:
        self._browsing = False
        self.nearby_model.set_shares([])
        if isinstance(exc, DiscoveryUnavailable):
            self.nearby_status.setText(
                self.tr(
                    "Shares cannot be found automatically here: multicast does not get through "
                    "on this network. Type the address the other computer shows below."
                )
            )
        else:
            self.nearby_status.setText(self.tr("Looking for shares failed: %1").replace("%1", str(exc)))
        self._update_buttons()
        self.browsed.emit()

    def _add_selected(self) -> None:
        rows = self.nearby_view.selectionModel().selectedRows()
        if rows:
            self.add_requested.emit(self.nearby_model.item(rows[0].row()).url)

    def _add_manual(self) -> None:
        text = self.manual_edit.text().strip()
        if not text:
            return
        if "://" not in text:
            text = "http://" + text
        if urlsplit(text).path.strip("/"):
            self.add_requested.emit(text)
            return
        # Only http://IP:PORT: the share's index says which sources it has.
        self.manual_button.setEnabled(False)
        self.nearby_status.setText(self.tr("Asking %1 what it shares…").replace("%1", text))
        run_task(lambda: share_source_urls(text), self._on_manual_sources, self._on_manual_failed, owner=self)

    def _on_manual_sources(self, urls: list[str]) -> None:
        self.manual_button.setEnabled(True)
        self.nearby_status.setText("")
        if len(urls) == 1:
            self.add_requested.emit(urls[0])
            return
        chosen, ok = QInputDialog.getItem(
            self, self.tr("Add a shared source"), self.tr("Sources shared there:"), urls, 0, False
        )
        if ok and chosen:
            self.add_requested.emit(chosen)

    def _on_manual_failed(self, exc: BaseException) -> None:
        self.manual_button.setEnabled(True)
        self.nearby_status.setText(str(exc))

    # -- closing ----------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop sharing and looking, and wait for both: the window is closing."""
        self._closing = True
        self.timer.stop()
        self._share_pool.waitForDone()
        self.running = None
        while self._live:
            self._end(self._live[0])
        self._browse_pool.waitForDone()
