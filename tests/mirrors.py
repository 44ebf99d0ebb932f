"""Build small real mirrors on disk for tests: catalog.json, its signature, and media."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

from player.catalog import signing

VTT_EN = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nGravity pulls the apple down.\n\n00:00:04.000 --> 00:00:06.000\nNewton wrote the laws of motion.\n"
VTT_ZH = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n重力让苹果落下。\n\n00:00:04.000 --> 00:00:06.500\n牛顿写下了运动定律。\n"


def file_entry(href: str, data: bytes, **extra: object) -> dict:
    return {"href": href, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data), **extra}


def base_catalog(version: int = 1) -> tuple[dict, dict[str, bytes]]:
    """A valid two-series catalog and the bytes of every file it names."""
    files = {
        "media/gravity.mp4": b"video-gravity" * 100,
        "media/gravity.en.vtt": VTT_EN.encode(),
        "media/gravity.zh.vtt": VTT_ZH.encode(),
        "media/light.mp4": b"video-light" * 120,
        "media/stars.mp4": b"video-stars" * 90,
        "media/stars-720.mp4": b"video-stars-720" * 150,
    }
    lecture = {
        "id": "gravity",
        "title": {"zh": "万有引力", "en": "Universal Gravitation"},
        "speakers": [{"name": {"zh": "李华", "en": "Li Hua"}, "affiliation": "Peking University"}],
        "duration": 600,
        "published": "2026-01-05",
        "description": {"en": "Why apples fall and planets orbit.", "zh": "苹果为什么落下。"},
        "video": [file_entry("media/gravity.mp4", files["media/gravity.mp4"], type="video/mp4", height=480)],
        "subtitles": [
            file_entry("media/gravity.en.vtt", files["media/gravity.en.vtt"], lang="en"),
            file_entry("media/gravity.zh.vtt", files["media/gravity.zh.vtt"], lang="zh"),
        ],
        "chapters": [
            {"start": 0, "title": "Apples"},
            {"start": 300, "title": {"en": "Orbits", "zh": "轨道"}},
        ],
    }
    catalog = {
        "format": "lecture-catalog/1",
        "id": "org.example.physics",
        "title": {"zh": "物理讲座", "en": "Physics Lectures"},
        "version": version,
        "published": "2026-11-01T08:00:00Z",
        "series": [
            {
                "id": "mechanics",
                "title": {"zh": "力学", "en": "Mechanics"},
                "description": "Classical mechanics for everyone.",
                "tags": ["physics"],
                "lectures": [
                    lecture,
                    {
                        "id": "light",
                        "title": {"zh": "光的本质", "en": "The Nature of Light"},
                        "duration": 1500.5,
                        "video": [
                            file_entry(
                                "media/light.mp4", files["media/light.mp4"], type="video/mp4", height=360
                            )
                        ],
                    },
                ],
            },
            {
                "id": "astronomy",
                "title": "Astronomy",
                "lectures": [
                    {
                        "id": "stars",
                        "title": "How Stars Shine",
                        "speakers": [{"name": "Chen Jing"}],
                        "duration": 900,
                        "video": [
                            file_entry(
                                "media/stars.mp4", files["media/stars.mp4"], type="video/mp4", height=480
                            ),
                            file_entry(
                                "media/stars-720.mp4",
                                files["media/stars-720.mp4"],
                                type="video/mp4",
                                height=720,
                            ),
                        ],
                    }
                ],
            },
        ],
    }
    return catalog, files


def write_mirror(
    root: Path,
    catalog: dict | bytes,
    files: dict[str, bytes] | None = None,
    *,
    key_path: Path | None = None,
) -> Path:
    """Write a mirror folder; sign it when a private key is given."""
    root.mkdir(parents=True, exist_ok=True)
    raw = (
        catalog if isinstance(catalog, bytes) else json.dumps(catalog, ensure_ascii=False, indent=1).encode()
    )
    (root / "catalog.json").write_bytes(raw)
    for href, data in (files or {}).items():
        path = root / href
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    sig = root / "catalog.json.sig"
    if key_path is not None:
        sig.write_bytes(signing.sign(raw, signing.load_private_key(key_path)))
    elif sig.exists():
        sig.unlink()
    return root


def variant(catalog: dict, **changes: object) -> dict:
    new = copy.deepcopy(catalog)
    new.update(changes)
    return new


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command line in this process; return (exit code, stdout, stderr)."""
    from player.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_series_catalog(entries: list[tuple[str, str, int]], source_id: str = "org.example.big") -> dict:
    """A catalog with one series ("big") of one-video lectures: entries are (href, sha256, size)."""
    return {
        "format": "lecture-catalog/1",
        "id": source_id,
        "title": "Big",
        "version": 1,
        "published": "2026-11-01T00:00:00Z",
        "series": [
            {
                "id": "big",
                "title": "Big series",
                "lectures": [
                    {
                        "id": f"v{i}",
                        "title": f"Lecture {i}",
                        "duration": 60,
                        "video": [
                            {"href": href, "sha256": sha, "size": size, "type": "video/mp4", "height": 480}
                        ],
                    }
                    for i, (href, sha, size) in enumerate(entries)
                ],
            }
        ],
    }


def sync_from_local_mirrors(lib) -> None:
    """Plan, queue, copy and record every kept file from local mirrors, without the engine."""
    from player.library.store import put_file
    from player.sync.history import finish_sync
    from player.sync.plan import build_plan
    from player.sync.queue import enqueue, mark_done_many, next_batch

    plan = build_plan(lib, free_bytes=10**15)
    enqueue(lib, plan)
    done = [
        (j.sha256, put_file(lib.paths, Path(j.candidates[0].location), j.sha256, j.size, j.ext))
        for j in next_batch(lib, 1000)
    ]
    mark_done_many(lib, done)
    finish_sync(lib, plan)
