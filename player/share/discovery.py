"""Finding shares on the local network: mDNS/DNS-SD through `zeroconf`.

A running share announces `_lecture-player._tcp.local.` with TXT records naming the
library, its host, its sources and the version; `browse` lists the shares that answer
within a timeout. Where multicast is not available, both say so with `DiscoveryUnavailable`
and the share can still be added by hand: `sources add http://IP:PORT/<source-id>/`.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from player import __version__ as PLAYER_VERSION
from player.errors import PlayerError

SERVICE_TYPE = "_lecture-player._tcp.local."
MANUAL_HINT = "Add a share by hand instead: `lecture-player sources add http://IP:PORT/<source-id>/`."


class DiscoveryUnavailable(PlayerError):
    """Multicast DNS cannot be used here (no network, or multicast blocked)."""


@dataclass(frozen=True)
class Share:
    name: str
    host: str
    addresses: list[str]
    port: int
    sources: list[str] = field(default_factory=list)
    version: str = ""

    @property
    def url(self) -> str:
        address = self.addresses[0] if self.addresses else self.host
        if ":" in address:
            address = f"[{address}]"
        return f"http://{address}:{self.port}/"

    def source_url(self, source_id: str) -> str:
        return f"{self.url}{source_id}/"


def _zeroconf(interfaces: list[str] | None = None):
    from zeroconf import InterfaceChoice, IPVersion, Zeroconf

    try:
        return Zeroconf(interfaces=interfaces or InterfaceChoice.All, ip_version=IPVersion.V4Only)
    except OSError as exc:
        raise DiscoveryUnavailable(
            f"Multicast DNS is not available on this machine ({exc.strerror or exc}).", hint=MANUAL_HINT
        ) from None


def _announced_addresses(bind: str) -> list[bytes]:
    if bind not in ("0.0.0.0", "", "::"):
        try:
            return [ipaddress.ip_address(bind).packed]
        except ValueError:
            return [socket.inet_aton(socket.gethostbyname(bind))]
    import ifaddr

    found = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if ip.is_IPv4 and not ipaddress.ip_address(ip.ip).is_loopback:
                found.append(ipaddress.ip_address(ip.ip).packed)
    return found or [ipaddress.ip_address("127.0.0.1").packed]


class Announcement:
    """The share's presence on the network while it serves; `close()` withdraws it."""

    def __init__(self, *, name: str, bind: str, port: int, sources: list[str]) -> None:
        from zeroconf import NonUniqueNameException, ServiceInfo

        host = socket.gethostname().split(".")[0] or "lecture-player"
        self.info = ServiceInfo(
            SERVICE_TYPE,
            f"{_label(name)}.{SERVICE_TYPE}",
            addresses=_announced_addresses(bind),
            port=port,
            properties={
                "name": name,
                "host": host,
                "sources": ",".join(sources)[:240],
                "version": PLAYER_VERSION,
                "path": "/",
            },
            server=f"{_label(host)}.local.",
        )
        addresses = self.info.addresses
        # A share only this machine can reach is announced only on the loopback interface,
        # so other machines never see an address that would lead them to themselves.
        local = all(ipaddress.ip_address(a).is_loopback for a in addresses)
        self._zc = _zeroconf(["127.0.0.1"] if local else None)
        try:
            # A second share with the same name on the network gets a numbered one.
            self._zc.register_service(self.info, allow_name_change=True)
        except (OSError, NonUniqueNameException) as exc:
            self._zc.close()
            raise DiscoveryUnavailable(
                f"The share could not be announced ({exc}).", hint=MANUAL_HINT
            ) from None

    @property
    def name(self) -> str:
        return self.info.name.removesuffix("." + SERVICE_TYPE)

    def close(self) -> None:
        try:
            self._zc.unregister_service(self.info)
        finally:
            self._zc.close()

    def __enter__(self) -> Announcement:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _label(text: str) -> str:
    # A DNS label: at most 63 bytes, no dots.
    label = text.replace(".", "-").strip() or "lecture-player"
    while len(label.encode()) > 63:
        label = label[:-1]
    return label


def _share(info) -> Share:
    props = {
        (k.decode(errors="replace") if isinstance(k, bytes) else k): (
            v.decode(errors="replace") if isinstance(v, bytes) else (v or "")
        )
        for k, v in (info.properties or {}).items()
    }
    return Share(
        name=props.get("name") or info.name.removesuffix("." + SERVICE_TYPE),
        host=props.get("host") or (info.server or "").removesuffix(".local.").removesuffix("."),
        addresses=list(info.parsed_addresses()),
        port=int(info.port or 0),
        sources=[s for s in props.get("sources", "").split(",") if s],
        version=props.get("version", ""),
    )


def browse(timeout: float = 3.0, *, until: Callable[[list[Share]], bool] | None = None) -> list[Share]:
    """The shares that answer within `timeout` seconds (sooner when `until(shares)` holds)."""
    from zeroconf import ServiceBrowser

    names: list[str] = []
    seen = threading.Condition()

    class _Listener:
        def add_service(self, zc, type_: str, name: str) -> None:
            with seen:
                if name not in names:
                    names.append(name)
                seen.notify_all()

        def update_service(self, zc, type_: str, name: str) -> None:
            self.add_service(zc, type_, name)

        def remove_service(self, zc, type_: str, name: str) -> None:
            pass

    zc = _zeroconf()
    shares: dict[str, Share] = {}
    try:
        browser = ServiceBrowser(zc, SERVICE_TYPE, _Listener())
        deadline = time.monotonic() + timeout
        try:
            while True:
                with seen:
                    pending = [n for n in names if n not in shares]
                    if not pending:
                        left = deadline - time.monotonic()
                        if left <= 0:
                            break
                        seen.wait(left)
                        continue
                for name in pending:
                    left_ms = max(200, int((deadline - time.monotonic()) * 1000))
                    info = zc.get_service_info(SERVICE_TYPE, name, timeout=left_ms)
                    if info is not None and info.port:
                        shares[name] = _share(info)
                    else:
                        shares.setdefault(name, None)  # type: ignore[arg-type]
                found = [s for s in shares.values() if s is not None]
                if (until and until(found)) or time.monotonic() >= deadline:
                    break
        finally:
            browser.cancel()
    except OSError as exc:
        raise DiscoveryUnavailable(
            f"Looking for shares failed: multicast DNS did not work ({exc.strerror or exc}).",
            hint=MANUAL_HINT,
        ) from None
    finally:
        zc.close()
    return sorted((s for s in shares.values() if s is not None), key=lambda s: (s.name, s.url))
