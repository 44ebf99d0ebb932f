"""A small publisher source folder for the publisher tests, generated once per session."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.videos import make_image, make_video

SERIES_JSON = {
    "id": "physics",
    "title": {"zh": "生活中的物理", "en": "Physics in Everyday Life"},
    "description": {"zh": "身边的物理学。", "en": "The physics around us."},
    "tags": ["physics"],
    "lectures": {
        "02-heat": {
            "title": {"zh": "冷与热", "en": "Hot and Cold"},
            "speakers": [
                {"name": {"zh": "李明", "en": "Li Ming"}, "affiliation": "Example University"},
                "Ana",
            ],
            "published": "2024-03-11",
            "chapters": [{"start": 0, "title": "Start"}, {"start": "0:01", "title": "Middle"}],
            "order": 1,
        },
        "01-falling": {"id": "falling-bodies", "order": 2},
    },
}


def make_template(root: Path) -> Path:
    """SRC/physics (with series.json, poster, subtitles, thumbnail) and SRC/astronomy (bare)."""
    src = root / "src"
    physics, astronomy = src / "physics", src / "astronomy"
    physics.mkdir(parents=True)
    astronomy.mkdir()
    (src / "source.json").write_text(json.dumps({"id": "org.example.test", "title": "Test lectures"}))
    (physics / "series.json").write_text(json.dumps(SERIES_JSON, ensure_ascii=False), encoding="utf-8")
    make_video(physics / "01-falling.mp4", 2.0, subtitles=["zh.srt", "en.vtt"], seed=1)
    make_video(physics / "02-heat.mp4", 1.5, seed=2)
    make_image(physics / "02-heat.jpg", 64, 36, seed=2)
    make_image(physics / "poster.jpg", 64, 36, seed=3)
    make_video(astronomy / "moon.mkv", 1.0, seed=4, width=160, height=90)
    return src


def copy_source(template: Path, dest: Path) -> Path:
    """A private copy (not links: tests change files, and the mirror hard-links them)."""
    return Path(shutil.copytree(template, dest, copy_function=shutil.copy2))
