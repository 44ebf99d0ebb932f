"""Every interface string has a finished translation that keeps what the code fills in."""

import re
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QTranslator

from player.resources import resource_path

# %1…%9 and %n are replaced by the code or by Qt: a translation that drops or
# renumbers one shows the wrong number, or a raw "%1", on screen.
PLACEHOLDER = re.compile(r"%[1-9n]")


def _messages(lang: str) -> list[ET.Element]:
    root = ET.parse(resource_path("translations", f"lecture-player_{lang}.ts")).getroot()
    return root.findall("./context/message")


def _forms(message: ET.Element) -> list[str | None]:
    translation = message.find("translation")
    return [f.text for f in translation.findall("numerusform")] or [translation.text]


def test_zh_cn_translation_is_complete():
    messages = _messages("zh_CN")
    assert len(messages) > 20
    missing = []
    for message in messages:
        translation = message.find("translation")
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(_forms(message)):
            missing.append(message.findtext("source"))
    assert missing == []
    assert resource_path("translations", "lecture-player_zh_CN.qm").stat().st_size > 0


def test_zh_cn_keeps_placeholders_and_accelerators():
    wrong = []
    for message in _messages("zh_CN"):
        source = message.findtext("source")
        for form in _forms(message):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(form or "")):
                wrong.append((source, form))
            # Qt's Chinese convention for a mnemonic: 设置(&S), the same letter as the source.
            accelerator = re.search(r"&(\w)", source)
            if accelerator and f"(&{accelerator.group(1).upper()})" not in (form or "").upper():
                wrong.append((source, form))
    assert wrong == []


def test_zh_cn_plurals_have_the_one_chinese_form():
    plurals = [m for m in _messages("zh_CN") if m.get("numerus") == "yes"]
    assert plurals
    assert [m.findtext("source") for m in plurals if len(_forms(m)) != 1] == []


def test_english_plurals_have_singular_and_plural():
    plurals = [m for m in _messages("en") if m.get("numerus") == "yes"]
    assert plurals
    for message in plurals:
        source = message.findtext("source")
        assert message.find("translation").get("type") is None, source
        singular, plural = _forms(message)
        assert "(s)" not in singular + plural, source
        assert PLACEHOLDER.findall(singular) == PLACEHOLDER.findall(plural) != [], source


@pytest.mark.parametrize(
    ("lang", "context", "source", "n", "expected"),
    [
        ("zh_CN", "SeriesCardDelegate", "%n lecture(s)", 3, "%n 讲"),
        ("zh_CN", "MainWindow", "Library", -1, "资料库"),
        ("en", "HomePage", "%n result(s)", 1, "%n result"),
        ("en", "HomePage", "%n result(s)", 2, "%n results"),
    ],
)
def test_built_qm_files_translate(lang, context, source, n, expected):
    # The translator picks the plural form for n; QCoreApplication.translate fills in %n later.
    translator = QTranslator()
    assert translator.load(str(resource_path("translations", f"lecture-player_{lang}.qm")))
    assert translator.translate(context, source, None, n) == expected
