"""Pictures of lectures and series: catalog pictures, frames taken from stored videos, the cache."""

from __future__ import annotations

import logging

import pytest

from player.library import pictures
from player.library.db import open_library
from player.library.paths import LibraryPaths
from player.resources import resource_path
from tests.test_lecture_states import build_library

JPEG = b"\xff\xd8"


@pytest.fixture
def built(tmp_path):
    return build_library(tmp_path)


def lecture_pk(lib, lecture_id: str) -> int:
    return lib.db.execute("SELECT pk FROM lectures WHERE id = ?", [lecture_id]).fetchone()[0]


def series_pk(lib, series_id: str) -> int:
    return lib.db.execute("SELECT pk FROM series WHERE id = ?", [series_id]).fetchone()[0]


def test_a_stored_catalog_thumbnail_is_the_lectures_picture(built):
    with open_library(built.root) as lib:
        source = pictures.lecture_picture(lib, lecture_pk(lib, "light"))
        assert source is not None and not source.is_video
        assert source.path == lib.paths.media_file(built.sha("media/light.jpg"), "jpg")
        # An image is used as it is: nothing is decoded or cached.
        assert pictures.picture_file(lib.paths, source) == source.path
        assert not lib.paths.pictures.exists()


def test_a_frame_is_taken_from_the_stored_video_and_cached(built):
    with open_library(built.root) as lib:
        source = pictures.lecture_picture(lib, lecture_pk(lib, "gravity"))
        assert source is not None and source.is_video
        assert source.sha256 == built.sha("media/gravity.mp4")
        frame = pictures.picture_file(lib.paths, source)
        assert frame == lib.paths.pictures / f"{source.sha256}.jpg"
        data = frame.read_bytes()
        assert data.startswith(JPEG) and len(data) > 500
        assert not [p for p in lib.paths.pictures.iterdir() if p.name.endswith(".tmp")]

        # The second time the cache answers: the video is not even needed any more.
        source.path.unlink()
        assert pictures.picture_file(lib.paths, source) == frame
        assert frame.read_bytes() == data


def test_a_broken_video_gives_no_picture_and_no_cache_file(built, caplog):
    with open_library(built.root) as lib:
        source = pictures.lecture_picture(lib, lecture_pk(lib, "heat"))
        assert source is not None and source.is_video
        with caplog.at_level(logging.WARNING, logger="player.library.pictures"):
            assert pictures.picture_file(lib.paths, source) is None
        assert "No picture could be taken" in caplog.text
        assert not pictures.frame_path(lib.paths, source.sha256).exists()


def test_a_lecture_with_nothing_stored_has_no_picture(built):
    with open_library(built.root) as lib:
        assert pictures.lecture_picture(lib, lecture_pk(lib, "lens")) is None
        assert pictures.lecture_picture(lib, lecture_pk(lib, "moon")) is None  # only queued
        assert pictures.series_picture(lib, series_pk(lib, "optics")) is None


def test_a_series_shows_its_poster_else_its_first_lectures_picture(built):
    with open_library(built.root) as lib:
        poster = pictures.series_picture(lib, series_pk(lib, "astronomy"))
        assert poster is not None and not poster.is_video
        assert poster.sha256 == built.sha("media/poster.jpg")
        first = pictures.series_picture(lib, series_pk(lib, "mechanics"))
        assert first == pictures.lecture_picture(lib, lecture_pk(lib, "gravity"))


def test_a_frame_of_the_samples_video(tmp_path):
    video = resource_path("sample") / "media" / "physics-everyday" / "01-falling.mp4"
    data = pictures.video_frame_jpeg(video, width=160)
    assert data is not None and data.startswith(JPEG)
    paths = LibraryPaths(tmp_path)
    source = pictures.PictureSource(video, True, "a" * 64)
    assert pictures.picture_file(paths, source) == paths.pictures / f"{'a' * 64}.jpg"
