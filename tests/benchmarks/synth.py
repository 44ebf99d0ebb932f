"""Synthetic `lecture-catalog/1` catalogs for benchmarks.

Deterministic: the same arguments give the same bytes, so a benchmark can
compare runs.
"""

from __future__ import annotations

import hashlib
import json
import random

TOPICS_EN = [
    "quantum",
    "entropy",
    "galaxy",
    "protein",
    "climate",
    "algorithm",
    "volcano",
    "neuron",
    "magnet",
    "fossil",
    "enzyme",
    "plasma",
    "orbit",
    "crystal",
    "genome",
    "tsunami",
]
TOPICS_ZH = [
    "量子",
    "熵",
    "星系",
    "蛋白质",
    "气候",
    "算法",
    "火山",
    "神经元",
    "磁体",
    "化石",
    "酶",
    "等离子体",
    "轨道",
    "晶体",
    "基因组",
    "海啸",
]
SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"]
SURNAMES_ZH = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
GIVEN = ["Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Tao", "Hui", "Qiang", "Xia"]
GIVEN_ZH = ["伟", "芳", "敏", "静", "磊", "燕", "涛", "慧", "强", "霞"]


def _sha(*parts: object) -> str:
    return hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()


def lecture(s: int, n: int, rng: random.Random, revision: int = 0) -> dict:
    t = rng.randrange(len(TOPICS_EN))
    p = rng.randrange(len(SURNAMES) * len(GIVEN))
    name_en = f"{SURNAMES[p % 10]} {GIVEN[p // 10]}"
    name_zh = f"{SURNAMES_ZH[p % 10]}{GIVEN_ZH[p // 10]}"
    lid = f"s{s:04d}-l{n:03d}"
    title_suffix = f" (rev {revision})" if revision else ""
    return {
        "id": lid,
        "title": {
            "zh": f"{TOPICS_ZH[t]}第{n + 1}讲{title_suffix}",
            "en": f"{TOPICS_EN[t].title()} part {n + 1}{title_suffix}",
        },
        "speakers": [{"name": {"zh": name_zh, "en": name_en}, "affiliation": "Institute of Science"}],
        "duration": 1200 + rng.randrange(3600),
        "published": f"20{20 + s % 6}-{1 + n % 12:02d}-{1 + n % 28:02d}",
        "description": {"en": f"A lecture on {TOPICS_EN[t]} for series {s}."},
        "video": [
            {
                "href": f"media/{lid}-480.mp4",
                "sha256": _sha(lid, 480, revision),
                "size": 50_000_000 + rng.randrange(10_000_000),
                "type": "video/mp4",
                "height": 480,
            }
        ],
        "subtitles": [
            {"lang": "zh", "href": f"media/{lid}.zh.vtt", "sha256": _sha(lid, "zh"), "size": 40000},
        ],
    }


def catalog(
    n_series: int = 1000,
    n_lectures: int = 100,
    version: int = 1,
    changed_fraction: float = 0.0,
    source_id: str = "org.example.bench",
) -> dict:
    """A catalog; `changed_fraction` of the lectures get a new title and video hash."""
    rng = random.Random(42)
    series = []
    change_every = int(1 / changed_fraction) if changed_fraction else 0
    count = 0
    for s in range(n_series):
        lectures = []
        for n in range(n_lectures):
            count += 1
            revision = version if change_every and count % change_every == 0 else 0
            lectures.append(lecture(s, n, rng, revision))
        series.append(
            {
                "id": f"s{s:04d}",
                "title": {"zh": f"科学系列{s}", "en": f"Science series {s}"},
                "description": {"en": "A synthetic series."},
                "tags": ["science"],
                "lectures": lectures,
            }
        )
    return {
        "format": "lecture-catalog/1",
        "id": source_id,
        "title": {"zh": "基准目录", "en": "Benchmark catalog"},
        "version": version,
        "published": "2026-11-01T00:00:00Z",
        "series": series,
    }


def catalog_bytes(**kwargs: object) -> bytes:
    return json.dumps(catalog(**kwargs), ensure_ascii=False, separators=(",", ":")).encode()
