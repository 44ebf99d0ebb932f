"""Generate the built-in sample library: resources/sample/ (a signed mirror) and resources/sample.pub.

Run from anywhere with the project's Python: `python packaging/make_sample.py`.
The source folder and the signing key live in a temporary folder and are thrown away:
only the public key is kept, so nobody (including us) can sign a later sample with
the same key, and the app pins the key that ships beside the sample.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # a dev tool: it reuses the tests' video generator

from player.catalog.signing import generate_keypair  # noqa: E402
from player.publisher.build import build_catalog  # noqa: E402
from tests.videos import make_image, make_video, write_subtitle  # noqa: E402

SOURCE = {
    "id": "org.lecture-player.sample",
    "title": {"zh": "Lecture Player 示例库", "en": "Lecture Player Sample Library"},
    "description": {
        "zh": "两个简短的示例系列，用来试用离线播放、字幕和章节。",
        "en": "Two short sample series for trying offline playback, subtitles and chapters.",
    },
    "publisher": {"zh": "Lecture Player 项目", "en": "The Lecture Player project"},
}

SPEAKERS = {
    "li": {
        "name": {"zh": "李明", "en": "Li Ming"},
        "affiliation": {"zh": "示例大学物理系", "en": "Department of Physics, Example University"},
    },
    "chen": {
        "name": {"zh": "陈静", "en": "Chen Jing"},
        "affiliation": {"zh": "示例天文台", "en": "Example Observatory"},
    },
    "garcia": {
        "name": "Ana García",
        "affiliation": {"zh": "示例科学馆", "en": "Example Science Museum"},
    },
}

# (file stem, zh title, en title, zh text, en text, speakers, published)
SERIES = [
    {
        "folder": "physics",
        "subtitle_exts": {"zh": ".srt", "en": ".vtt"},
        "meta": {
            "id": "physics-everyday",
            "title": {"zh": "生活中的物理", "en": "Physics in Everyday Life"},
            "description": {
                "zh": "从掉落的苹果到彩虹：身边的物理学。",
                "en": "From falling apples to rainbows: the physics around us.",
            },
            "tags": ["physics", "物理"],
            "order": 1,
        },
        "lectures": [
            (
                "01-falling",
                "为什么东西会落下？",
                "Why Do Things Fall?",
                "重力把一切拉向地面。",
                "Gravity pulls everything towards the ground.",
                ["li"],
                "2024-03-04",
            ),
            (
                "02-heat",
                "冷与热",
                "Hot and Cold",
                "热量总是从热的地方流向冷的地方。",
                "Heat always flows from hot to cold.",
                ["li"],
                "2024-03-11",
            ),
            (
                "03-light",
                "光与颜色",
                "Light and Colour",
                "白光里藏着彩虹的所有颜色。",
                "White light hides every colour of the rainbow.",
                ["li", "garcia"],
                "2024-03-18",
            ),
        ],
    },
    {
        "folder": "astronomy",
        "subtitle_exts": {"zh": ".vtt", "en": ".srt"},
        "meta": {
            "id": "astronomy-first-look",
            "title": {"zh": "天文学入门", "en": "A First Look at Astronomy"},
            "description": {
                "zh": "月亮、行星和恒星：抬头看看夜空。",
                "en": "The Moon, the planets and the stars: a look at the night sky.",
            },
            "tags": ["astronomy", "天文"],
            "order": 2,
        },
        "lectures": [
            (
                "01-moon",
                "月相",
                "Phases of the Moon",
                "月亮本身不发光，我们看到的是被太阳照亮的部分。",
                "The Moon makes no light; we see the part the Sun lights up.",
                ["chen"],
                "2024-05-06",
            ),
            (
                "02-planets",
                "太阳系的行星",
                "Planets of the Solar System",
                "八颗行星围绕太阳运行。",
                "Eight planets travel around the Sun.",
                ["chen"],
                "2024-05-13",
            ),
            (
                "03-stars",
                "恒星的颜色",
                "The Colours of Stars",
                "恒星的颜色告诉我们它有多热。",
                "A star's colour tells us how hot it is.",
                ["chen", "garcia"],
                "2024-05-20",
            ),
        ],
    },
]
SECONDS = 12.0
MAX_BYTES = 3_000_000


def write_source(src: Path) -> None:
    src.mkdir()
    (src / "source.json").write_text(json.dumps(SOURCE, ensure_ascii=False, indent=1), encoding="utf-8")
    seed = 0
    for series in SERIES:
        folder = src / series["folder"]
        folder.mkdir()
        make_image(folder / "poster.jpg", 320, 180, seed=seed + 10)
        lectures = {}
        for order, (stem, zh, en, zh_text, en_text, who, published) in enumerate(series["lectures"], 1):
            seed += 1
            make_video(folder / f"{stem}.mp4", SECONDS, width=426, height=240, audio=True, seed=seed, crf=20)
            make_image(folder / f"{stem}.jpg", 160, 90, seed=seed)
            cues = {
                "zh": [(0.5, 3.5, zh), (4.0, 7.5, zh_text), (8.0, 11.5, "谢谢观看！")],
                "en": [(0.5, 3.5, en), (4.0, 7.5, en_text), (8.0, 11.5, "Thanks for watching!")],
            }
            for lang, ext in series["subtitle_exts"].items():
                write_subtitle(folder / f"{stem}.{lang}{ext}", cues[lang])
            lectures[stem] = {
                "title": {"zh": zh, "en": en},
                "description": {"zh": zh_text, "en": en_text},
                "speakers": [SPEAKERS[s] for s in who],
                "published": published,
                "chapters": [
                    {"start": 0, "title": {"zh": "开场", "en": "Opening"}},
                    {"start": 4, "title": {"zh": "要点", "en": "The idea"}},
                    {"start": "0:08", "title": {"zh": "小结", "en": "Summary"}},
                ],
                "order": order,
            }
        meta = {**series["meta"], "lectures": lectures}
        (folder / "series.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")


def main() -> int:
    out = ROOT / "resources" / "sample"
    pub = ROOT / "resources" / "sample.pub"
    with tempfile.TemporaryDirectory(prefix="lecture-sample-") as tmp:
        work = Path(tmp)
        write_source(work / "src")
        key = work / "sample.key"
        public = generate_keypair(key)
        # A fresh key signs a fresh mirror: nothing of an earlier sample is kept.
        shutil.rmtree(out, ignore_errors=True)
        result = build_catalog(work / "src", out, key_path=key, cache_path=work / "build-cache.json")
        pub.write_text(public.read_text())
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(
        f"{out}: version {result.version}, {result.lectures} lectures, {result.files + 2} files, {total:,} bytes"
    )
    if total > MAX_BYTES:
        print(f"error: the sample is over {MAX_BYTES:,} bytes", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
