"""Desktop integration: one application id everywhere, valid files, Chinese and English text."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from player.ui.app import APP_ID

ROOT = Path(__file__).resolve().parent.parent
DESKTOP_DIR = ROOT / "resources" / "desktop"
DESKTOP = DESKTOP_DIR / f"{APP_ID}.desktop"
METAINFO = DESKTOP_DIR / f"{APP_ID}.metainfo.xml"
MIME = DESKTOP_DIR / f"{APP_ID}.mime.xml"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def mime_types() -> set[str]:
    return {node.get("type") for node in ET.parse(MIME).getroot().iter(f"{MIME_NS}mime-type")}


def test_the_application_id_is_reverse_dns_with_a_lowercase_domain():
    # AppStream rejects an id whose domain part has capitals (cid-domain-not-lowercase).
    tld, domain, name = APP_ID.split(".")
    assert (tld, domain) == (tld.lower(), domain.lower())
    assert name[0].isupper()


def test_desktop_file_uses_the_id_and_has_both_languages():
    entry = desktop_entry()
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "lecture-player"
    assert "%f" in entry["Exec"]  # a file manager passes the catalog or bundle it opens
    assert entry["Name"] == "Lecture Player"
    assert entry["Name[zh_CN]"] == "讲座播放器"
    assert entry["Comment"] and entry["Comment[zh_CN]"]
    assert entry["Comment"] != entry["Comment[zh_CN]"]


def test_desktop_file_claims_the_catalog_and_bundle_types_it_defines():
    claimed = {t for t in desktop_entry()["MimeType"].split(";") if t}
    assert (
        claimed == mime_types() == {"application/x-lecture-catalog+json", "application/x-lecture-bundle+json"}
    )
    globs = {node.get("pattern") for node in ET.parse(MIME).getroot().iter(f"{MIME_NS}glob")}
    assert globs == {"catalog.json", "bundle.json"}


def test_metainfo_names_the_same_id_launcher_and_types():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("icon") == APP_ID
    assert {n.text for n in root.iter("mediatype")} == mime_types()
    langs = {n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in root.iter("name")}
    assert langs == {None, "zh-CN"}


def test_png_icons_are_rendered_from_the_svg_in_every_size():
    from PySide6.QtGui import QImage

    icons = ROOT / "resources" / "icons"
    assert (icons / "lecture-player.svg").is_file()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        image = QImage(str(icons / f"lecture-player-{size}.png"))
        assert (image.width(), image.height()) == (size, size), size
        # Not a blank square: the middle of the icon is opaque.
        assert image.pixelColor(size // 2, size // 2).alpha() == 255, size


def _validate(tool: str, *args: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(
            f"{tool} is not installed (Debian: {'appstream' if tool == 'appstreamcli' else 'desktop-file-utils'})"
        )
    result = subprocess.run([tool, *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_file_validates():
    _validate("desktop-file-validate", str(DESKTOP))


def test_metainfo_validates():
    _validate("appstreamcli", "validate", "--no-net", str(METAINFO))


def test_the_application_object_is_named_by_the_same_id():
    from player.ui.app import ORGANIZATION_DOMAIN
    from player.ui.preferences import APPLICATION, ORGANIZATION

    reversed_domain = ".".join(reversed(ORGANIZATION_DOMAIN.split(".")))
    assert f"{reversed_domain}.{APPLICATION}" == APP_ID
    assert ORGANIZATION == ORGANIZATION_DOMAIN
