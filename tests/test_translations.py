"""Every interface string has a finished Chinese translation."""

import xml.etree.ElementTree as ET

from player.resources import resource_path


def test_zh_cn_translation_is_complete():
    root = ET.parse(resource_path("translations", "lecture-player_zh_CN.ts")).getroot()
    messages = root.findall("./context/message")
    assert len(messages) > 20
    missing = []
    for message in messages:
        translation = message.find("translation")
        forms = [f.text for f in translation.findall("numerusform")] or [translation.text]
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(forms):
            missing.append(message.findtext("source"))
    assert missing == []
    assert resource_path("translations", "lecture-player_zh_CN.qm").stat().st_size > 0
