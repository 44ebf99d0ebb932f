"""The series page's rows from the library: download state, progress, marks, and removing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from player.library import kept, lecture_states, progress_store
from player.library.db import open_library
from player.library.kept import keep_series
from player.library.sources import add_source
from player.library.store import put_file
from player.progress import ProgressUpdate
from player.sync.plan import build_plan
from player.sync.queue import enqueue, mark_done_many, next_batch
from player.sync.release import release_series
from tests.mirrors import file_entry, sha, write_mirror
from tests.videos import make_image, make_video

SRC = "org.example.pictures"


@dataclass
class Built:
    root: Path
    files: dict[str, bytes]

    def sha(self, href: str) -> str:
        return sha(self.files[href])


def _lecture(lecture_id: str, title: str, video: str, files: dict[str, bytes], **extra) -> dict:
    return {
        "id": lecture_id,
        "title": title,
        "duration": 600,
        "speakers": [{"name": "Li Hua"}],
        "video": [file_entry(video, files[video], type="video/mp4", height=90)],
        **extra,
    }


def build_library(tmp_path: Path) -> Built:
    """Three series from a local mirror:

    mechanics (kept, every file stored): gravity (a real video), light (a thumbnail; its
      video bytes are no video), heat (a broken video, no thumbnail)
    astronomy (kept, a poster): stars (its video is gravity's bytes: one file, two users),
      moon (queued, not fetched yet)
    optics (not kept): lens
    """
    made = tmp_path / "made"
    made.mkdir()
    files = {
        "media/gravity.mp4": make_video(made / "gravity.mp4", 1.0, width=160, height=90).read_bytes(),
        "media/light.mp4": b"not really a video" * 40,
        "media/light.jpg": make_image(made / "light.jpg", 160, 90, seed=1).read_bytes(),
        "media/heat.mp4": b"\x00\x00\x00\x18ftypmp42 broken" * 30,
        "media/poster.jpg": make_image(made / "poster.jpg", 160, 90, seed=2).read_bytes(),
        "media/moon.mp4": b"moon" * 1000,
        "media/lens.mp4": b"lens" * 700,
    }
    files["media/stars.mp4"] = files["media/gravity.mp4"]
    light = _lecture("light", "The Nature of Light", "media/light.mp4", files)
    light["thumbnail"] = file_entry("media/light.jpg", files["media/light.jpg"], type="image/jpeg")
    catalog = {
        "format": "lecture-catalog/1",
        "id": SRC,
        "title": "Pictures",
        "version": 1,
        "published": "2026-11-01T08:00:00Z",
        "series": [
            {
                "id": "mechanics",
                "title": "Mechanics",
                "lectures": [
                    _lecture("gravity", "Gravity", "media/gravity.mp4", files),
                    light,
                    _lecture("heat", "Heat", "media/heat.mp4", files),
                ],
            },
            {
                "id": "astronomy",
                "title": "Astronomy",
                "poster": file_entry("media/poster.jpg", files["media/poster.jpg"], type="image/jpeg"),
                "lectures": [
                    _lecture("stars", "How Stars Shine", "media/stars.mp4", files),
                    _lecture("moon", "The Moon", "media/moon.mp4", files),
                ],
            },
            {
                "id": "optics",
                "title": "Optics",
                "lectures": [_lecture("lens", "Lenses", "media/lens.mp4", files)],
            },
        ],
    }
    root = tmp_path / "lib"
    with open_library(root, install_sample=False) as lib:
        add_source(lib, str(write_mirror(tmp_path / "mirror", catalog, files)))
        keep_series(lib, SRC, "mechanics")
        keep_series(lib, SRC, "astronomy")
        enqueue(lib, build_plan(lib, free_bytes=10**15))
        moon = sha(files["media/moon.mp4"])
        # Everything arrives but the moon, which stays in the queue.
        done = [
            (j.sha256, put_file(lib.paths, Path(j.candidates[0].location), j.sha256, j.size, j.ext))
            for j in next_batch(lib, 1000)
            if j.sha256 != moon
        ]
        mark_done_many(lib, done)
    return Built(root, files)


def series_pk(lib, series_id: str) -> int:
    return lib.db.execute("SELECT pk FROM series WHERE id = ?", [series_id]).fetchone()[0]


@pytest.fixture
def built(tmp_path) -> Built:
    return build_library(tmp_path)


def rows_by_id(lib, series_id: str, profile_id: int) -> dict[str, lecture_states.LectureState]:
    rows = lecture_states.list_lecture_states(lib, series_pk(lib, series_id), profile_id)
    return {r.lecture.id: r for r in rows}


def test_rows_say_what_is_stored_queued_or_not_downloaded(built):
    with open_library(built.root) as lib:
        profile = progress_store.default_profile_id(lib)
        mechanics = rows_by_id(lib, "mechanics", profile)
        assert [r.download for r in mechanics.values()] == [lecture_states.PRESENT] * 3
        assert list(mechanics) == ["gravity", "light", "heat"]  # catalog order
        light = mechanics["light"]
        assert (
            light.size
            == light.present_size
            == len(built.files["media/light.mp4"]) + len(built.files["media/light.jpg"])
        )

        astronomy = rows_by_id(lib, "astronomy", profile)
        assert astronomy["stars"].download == lecture_states.PRESENT
        moon = astronomy["moon"]
        assert moon.download == lecture_states.QUEUED
        assert moon.pending == (lecture_states.PendingFile(built.sha("media/moon.mp4"), 4000, "queued"),)

        lens = rows_by_id(lib, "optics", profile)["lens"]
        assert lens.download == lecture_states.ABSENT and lens.present_size == 0 and lens.size == 2800


def test_rows_carry_the_profiles_progress(built):
    with open_library(built.root) as lib:
        me = progress_store.default_profile_id(lib)
        other = progress_store.add_profile(lib, "Bo").id
        progress_store.save_progress(
            lib,
            ProgressUpdate(
                me,
                SRC,
                "light",
                position=150.0,
                duration=600.0,
                watched_seconds=150.0,
                completed=False,
                speed=None,
                subtitle_lang=None,
            ),
        )
        progress_store.mark_watched(lib, me, SRC, ["gravity"])
        rows = rows_by_id(lib, "mechanics", me)
        assert rows["gravity"].watched and rows["gravity"].fraction_watched == 1.0
        assert not rows["light"].watched and rows["light"].fraction_watched == pytest.approx(0.25)
        assert rows["heat"].fraction_watched == 0.0
        theirs = rows_by_id(lib, "mechanics", other)
        assert [r.fraction_watched for r in theirs.values()] == [0.0, 0.0, 0.0]


def test_mark_watched_and_unwatched_round_trip_per_profile(built):
    with open_library(built.root) as lib:
        me = progress_store.default_profile_id(lib)
        other = progress_store.add_profile(lib, "Bo").id
        progress_store.save_progress(
            lib,
            ProgressUpdate(
                me,
                SRC,
                "light",
                position=200.0,
                duration=600.0,
                watched_seconds=200.0,
                completed=False,
                speed=None,
                subtitle_lang=None,
            ),
        )
        progress_store.mark_watched(lib, me, SRC, ["gravity", "light"])
        light = progress_store.get_progress(lib, me, SRC, "light")
        assert light.watched and light.position == 0 and light.last_watched
        assert light.watched_seconds == 200.0  # history stays
        assert progress_store.get_progress(lib, other, SRC, "gravity") is None
        assert not progress_store.continue_watching(lib, me)  # watched: no longer "continue"

        progress_store.mark_watched(lib, me, SRC, ["light"], watched=False)
        assert not progress_store.get_progress(lib, me, SRC, "light").watched
        assert progress_store.get_progress(lib, me, SRC, "gravity").watched

        progress_store.mark_watched(lib, other, SRC, ["heat"])
        assert progress_store.get_progress(lib, other, SRC, "heat").watched
        assert progress_store.get_progress(lib, me, SRC, "heat") is None


def test_removing_frees_only_files_no_other_kept_series_uses(built):
    with open_library(built.root) as lib:
        poster = lib.paths.media_file(built.sha("media/poster.jpg"), "jpg")
        shared = lib.paths.media_file(built.sha("media/gravity.mp4"), "mp4")
        assert poster.exists() and shared.exists()
        files, size = kept.bytes_freed_by_removing(lib, SRC, "astronomy")
        assert (files, size) == (1, len(built.files["media/poster.jpg"]))

        released = release_series(lib, SRC, "astronomy", delete_files=True)
        assert released.bytes_freed == size and released.files_deleted == 1
        assert not poster.exists()
        assert shared.exists()  # mechanics, still kept, uses the same bytes
        assert rows_by_id(lib, "mechanics", progress_store.default_profile_id(lib))["gravity"].download == (
            lecture_states.PRESENT
        )
