"""A mirror: a folder or a URL prefix holding `catalog.json`, its `.sig`, and the media.

`open_mirror` accepts a folder, a path to `catalog.json`, an http(s) URL of the
catalog, or an http(s) URL prefix. Local mirrors never resolve a file outside their
root, even through a symlink, and read only regular files (never block on a FIFO).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from player import httppolicy
from player.catalog import DEFAULT_MAX_BYTES, hrefs
from player.catalog.localfile import FileOverLimit, read_regular_file
from player.errors import BadInput, CatalogError, FetchError
from player.httppolicy import USER_AGENT

CATALOG_NAME = "catalog.json"
SIGNATURE_NAME = "catalog.json.sig"


@dataclass(frozen=True)
class CatalogFiles:
    raw: bytes
    signature: bytes | None
    # HTTP validators (etag, last_modified) for the next conditional request.
    validators: dict[str, str] | None = None
    # The server said the catalog has not changed since `validators`: raw is empty.
    not_modified: bool = False


class Mirror:
    location: str

    def read_catalog(
        self, max_bytes: int = DEFAULT_MAX_BYTES, validators: dict[str, str] | None = None
    ) -> CatalogFiles:
        """The catalog and its signature. Over HTTP, `validators` from an earlier answer
        make the request conditional, and an unchanged catalog comes back `not_modified`."""
        raise NotImplementedError

    def resolve(self, href: str) -> str:
        """Where the file named by `href` is: a local path or an http(s) URL."""
        raise NotImplementedError


class LocalMirror(Mirror):
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.location = str(self.root)

    def _inside(self, parts: list[str]) -> Path:
        path = self.root.joinpath(*parts)
        real = path.resolve()
        if real != self.root and self.root not in real.parents:
            raise BadInput(
                f"{path} points outside the mirror {self.root} (through a symlink).",
                hint="Mirrors must hold their files inside their own folder.",
            )
        return real

    def _read(self, name: str, max_bytes: int) -> bytes | None:
        path = self._inside([name])
        try:
            # Already resolved inside the root: a symlink appearing there now is not followed.
            return read_regular_file(path, max_bytes, follow_symlinks=False)
        except FileOverLimit as exc:
            raise _too_big(str(path), exc.size, max_bytes) from None
        except OSError as exc:
            raise FetchError(
                f"Cannot read {path}: {exc.strerror}.", hint="Check that the drive is still connected."
            ) from None

    def read_catalog(
        self, max_bytes: int = DEFAULT_MAX_BYTES, validators: dict[str, str] | None = None
    ) -> CatalogFiles:
        raw = self._read(CATALOG_NAME, max_bytes)
        if raw is None:
            raise BadInput(
                f"There is no {CATALOG_NAME} in {self.root}.",
                hint="Point to the folder that holds the publisher's catalog.json.",
            )
        return CatalogFiles(raw=raw, signature=self._read(SIGNATURE_NAME, 4096))

    def resolve(self, href: str) -> str:
        if hrefs.is_remote(href):
            return href
        return str(self._inside(hrefs.local_parts(href)))


class HttpMirror(Mirror):
    def __init__(
        self,
        catalog_url: str,
        client: httpx.Client | None = None,
        policy: httppolicy.HttpPolicy = httppolicy.DOCUMENTS,
    ) -> None:
        self.catalog_url = catalog_url
        self.location = catalog_url
        self._client = client
        # Connect and read timeouts, a minimum speed and a deadline for the whole document.
        self.policy = policy

    def _get(
        self, url: str, max_bytes: int, *, optional: bool = False, headers: dict[str, str] | None = None
    ) -> tuple[bytes | None, httpx.Headers]:
        client = self._client or httppolicy.client(self.policy)
        try:
            with httppolicy.fetch(
                client, url, policy=self.policy, headers={"User-Agent": USER_AGENT, **(headers or {})}
            ) as exchange:
                r = exchange.response
                if r.status_code == 304 and headers:
                    return None, r.headers
                if optional and r.status_code in (404, 410):
                    return None, r.headers
                if r.status_code != 200:
                    raise FetchError(
                        f"{url} answered HTTP {r.status_code}.",
                        hint="Check the address, or try again later.",
                    )
                declared = r.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise _too_big(url, int(declared), max_bytes)
                chunks, total = [], 0
                for chunk in exchange.chunks():
                    total += len(chunk)
                    if total > max_bytes:
                        raise _too_big(url, total, max_bytes)
                    chunks.append(chunk)
                return b"".join(chunks), r.headers
        except httpx.TooManyRedirects:
            raise FetchError(f"{url} redirects too many times.", hint="Check the address.") from None
        except httppolicy.TooSlow as exc:
            raise FetchError(
                f"{url} is too slow to use: {exc}.",
                hint="Try again later; if it stays slow, tell the publisher.",
            ) from None
        except httpx.HTTPError as exc:
            raise FetchError(
                f"Cannot fetch {url}: {exc.__class__.__name__} {exc}.".replace(" .", "."),
                hint="Check the network connection and the address, then try again.",
            ) from None
        finally:
            if self._client is None:
                client.close()

    def read_catalog(
        self, max_bytes: int = DEFAULT_MAX_BYTES, validators: dict[str, str] | None = None
    ) -> CatalogFiles:
        conditional = {}
        if validators and validators.get("etag"):
            conditional["If-None-Match"] = validators["etag"]
        if validators and validators.get("last_modified"):
            conditional["If-Modified-Since"] = validators["last_modified"]
        raw, headers = self._get(self.catalog_url, max_bytes, headers=conditional)
        if raw is None:
            return CatalogFiles(raw=b"", signature=None, validators=validators, not_modified=True)
        sig, _ = self._get(self.catalog_url + ".sig", 4096, optional=True)
        found = {"etag": headers.get("ETag"), "last_modified": headers.get("Last-Modified")}
        return CatalogFiles(raw=raw, signature=sig, validators={k: v for k, v in found.items() if v} or None)

    def resolve(self, href: str) -> str:
        if hrefs.is_remote(href):
            return href
        # Quoting is the publisher's job; urljoin keeps the path inside the catalog's folder
        # because `href_problem` already refused '..' and absolute paths.
        return urljoin(self.catalog_url, href)


def _too_big(where: str, size: int, limit: int) -> CatalogError:
    """`where` is the path or URL of the file over its limit: the catalog, or its signature."""
    message = f"{where} is {size:,} bytes or more, over the limit of {limit:,} bytes."
    if where.endswith(".sig"):
        return CatalogError(
            message,
            problems=[(SIGNATURE_NAME, "signature too large")],
            hint="A signature is a few hundred bytes: this file is not one. Ask the publisher to sign again.",
        )
    return CatalogError(
        message,
        problems=[("$", "catalog too large")],
        hint="Ask the publisher to split it, or raise the limit with --max-catalog-size.",
    )


def open_mirror(location: str, client: httpx.Client | None = None) -> Mirror:
    if not location.strip():
        # Path("") is the current folder: a source whose location was lost would read
        # whatever catalog.json happens to be where the command runs.
        raise BadInput(
            "No location is recorded for this source (it was lost with the library's index).",
            hint="Add the source again with `lecture-player sources add URL_OR_PATH`.",
        )
    scheme = urlsplit(location).scheme.lower()
    if scheme in ("http", "https"):
        url = (
            location if location.rstrip("/").endswith(".json") else location.rstrip("/") + "/" + CATALOG_NAME
        )
        return HttpMirror(url, client)
    if scheme and len(scheme) > 1:
        raise BadInput(
            f"'{location}' is neither a folder nor an http(s) URL.",
            hint="Give a path to a mirror folder, or an http:// or https:// address.",
        )
    path = Path(location).expanduser()
    if path.is_file() and path.name == CATALOG_NAME:
        path = path.parent
    if not path.is_dir():
        raise BadInput(f"{location} does not exist or is not a folder.", hint="Check the path.")
    return LocalMirror(path)
