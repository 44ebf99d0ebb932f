"""Sync plans: new, changed and withdrawn lectures across catalog versions, what to fetch,
and whether it fits on the disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from player.library.kept import keep_series, unkeep_series
from player.library.sources import add_source
from player.library.store import put_file
from player.sync.history import finish_sync
from player.sync.plan import PlanTooBig, build_plan
from player.sync.preferences import set_reserve
from player.sync.queue import enqueue, mark_done_many, next_batch
from player.sync.report import format_plan, plan_to_json
from tests.mirrors import base_catalog, file_entry, sha, write_mirror

SRC = "org.example.physics"
ROOMY = 10**15  # free bytes for plans whose fit is not under test


def import_version(lib, root: Path, catalog: dict, files: dict[str, bytes]) -> None:
    add_source(lib, str(write_mirror(root, catalog, files)))


def sync_everything(lib) -> None:
    """What a sync from a local mirror does, without the download engine."""
    plan = build_plan(lib, free_bytes=ROOMY)
    enqueue(lib, plan)
    done = []
    for job in next_batch(lib, 10_000):
        done.append((job.sha256, put_file(lib.paths, Path(job.candidates[0].location), *job_key(job))))
    mark_done_many(lib, done)
    finish_sync(lib, plan)


def job_key(job) -> tuple[str, int, str]:
    return job.sha256, job.size, job.ext


def test_first_plan_fetches_one_rendition_subtitles_and_counts_everything_new(library, tmp_path):
    catalog, files = base_catalog()
    import_version(library, tmp_path / "m", catalog, files)
    keep_series(library, SRC, "mechanics")
    plan = build_plan(library, free_bytes=ROOMY)
    [series] = plan.series
    assert (series.new, series.changed, series.withdrawn) == (["gravity", "light"], [], [])
    wanted = ["media/gravity.mp4", "media/gravity.en.vtt", "media/gravity.zh.vtt", "media/light.mp4"]
    assert {f.sha256 for f in plan.files} == {sha(files[h]) for h in wanted}
    assert plan.fetch_bytes == plan.total_bytes == sum(len(files[h]) for h in wanted)
    assert series.fetch_bytes == plan.fetch_bytes
    assert plan.fits
    assert [f.sources for f in plan.files if f.sha256 == sha(files["media/light.mp4"])] == [
        ((SRC, "media/light.mp4"),)
    ]


def test_new_changed_and_withdrawn_since_the_last_completed_sync(library, tmp_path):
    catalog, files = base_catalog()
    import_version(library, tmp_path / "v1", catalog, files)
    keep_series(library, SRC, "mechanics")
    sync_everything(library)
    assert build_plan(library, free_bytes=ROOMY).files == []

    v2, files2 = base_catalog(version=2)
    mechanics = v2["series"][0]
    mechanics["lectures"][0]["title"] = "Gravitation, revised"
    files2["media/waves.mp4"] = b"video-waves" * 80
    light = mechanics["lectures"].pop(1)
    waves = dict(light, id="waves", title="Waves")
    waves["video"] = [file_entry("media/waves.mp4", files2["media/waves.mp4"], type="video/mp4", height=480)]
    mechanics["lectures"].append(waves)
    import_version(library, tmp_path / "v2", v2, files2)

    plan = build_plan(library, free_bytes=ROOMY)
    [series] = plan.series
    assert (series.new, series.changed, series.withdrawn) == (["waves"], ["gravity"], ["light"])
    # Only the new video: the changed lecture's files are the same bytes, already stored.
    assert [f.sha256 for f in plan.files] == [sha(files2["media/waves.mp4"])]
    # A plan never deletes: the withdrawn lecture's file stays stored.
    light_state = library.db.execute(
        "SELECT m.state FROM media m JOIN lectures l ON l.pk = m.lecture_pk WHERE l.id = 'light'"
    ).fetchone()[0]
    assert light_state == "present"
    assert library.paths.media_file(sha(files["media/light.mp4"]), "mp4").exists()

    # Until a sync completes, the same differences stand; after it, nothing is new.
    assert build_plan(library, free_bytes=ROOMY).series[0].new == ["waves"]
    sync_everything(library)
    again = build_plan(library, free_bytes=ROOMY).series[0]
    assert (again.new, again.changed, again.withdrawn, again.unchanged) == ([], [], [], 2)


def test_an_incomplete_sync_is_not_recorded(library, tmp_path):
    catalog, files = base_catalog()
    import_version(library, tmp_path / "m", catalog, files)
    keep_series(library, SRC, "mechanics")
    plan = build_plan(library, free_bytes=ROOMY)
    enqueue(library, plan)
    job = next_batch(library, 1)[0]
    mark_done_many(
        library, [(job.sha256, put_file(library.paths, Path(job.candidates[0].location), *job_key(job)))]
    )
    assert finish_sync(library, plan) == []
    assert build_plan(library, free_bytes=ROOMY).series[0].new == ["gravity", "light"]


def rendition_catalog() -> tuple[dict, dict[str, bytes]]:
    catalog, files = base_catalog()
    videos = []
    for height in (240, 360, 720):
        href = f"media/stars-{height}p.mp4"
        files[href] = f"stars at {height}".encode() * height
        videos.append(file_entry(href, files[href], type="video/mp4", height=height))
    catalog["series"][1]["lectures"][0]["video"] = videos
    return catalog, files


def chosen_height(lib, **kwargs) -> list[str]:
    [series] = [s for s in build_plan(lib, free_bytes=ROOMY, **kwargs).series if s.series_id == "astronomy"]
    [media_pk] = series.choices.values()
    return lib.db.execute("SELECT height FROM media WHERE pk = ?", [media_pk]).fetchone()[0]


def test_rendition_default_per_series_and_per_source(library, tmp_path):
    from player.sync.preferences import set_source_quality

    catalog, files = rendition_catalog()
    import_version(library, tmp_path / "m", catalog, files)
    keep_series(library, SRC, "astronomy")
    assert chosen_height(library) == 720  # the smallest at or above 480
    set_source_quality(library, SRC, 300)
    assert chosen_height(library) == 240  # a preference is a ceiling
    keep_series(library, SRC, "astronomy", quality=360)
    assert chosen_height(library) == 360  # the series' own preference wins
    keep_series(library, SRC, "astronomy", quality=100)
    assert chosen_height(library) == 240  # nothing that small: the smallest there is
    plan = build_plan(library, free_bytes=ROOMY)
    assert [f.sha256 for f in plan.files] == [sha(files["media/stars-240p.mp4"])]


def test_rendition_default_takes_the_largest_below_480_when_none_is_above(library, tmp_path):
    catalog, files = rendition_catalog()
    catalog["series"][1]["lectures"][0]["video"].pop()  # no 720p
    import_version(library, tmp_path / "m", catalog, files)
    keep_series(library, SRC, "astronomy")
    assert chosen_height(library) == 360


def test_lecture_sizes_follow_the_chosen_rendition(library, tmp_path):
    from player.library import queries

    catalog, files = rendition_catalog()
    import_version(library, tmp_path / "m", catalog, files)
    keep_series(library, SRC, "astronomy", quality=360)
    [astronomy] = queries.find_series(library, "astronomy")
    assert astronomy.total_size == len(files["media/stars-240p.mp4"])  # the importer's first rendition
    sync_everything(library)
    [astronomy] = queries.find_series(library, "astronomy")
    assert astronomy.total_size == astronomy.present_size == len(files["media/stars-360p.mp4"])


def test_files_are_deduplicated_by_sha256(library, tmp_path):
    catalog, files = base_catalog()
    # The astronomy lecture reuses the gravity video's bytes under another name.
    stars = catalog["series"][1]["lectures"][0]
    stars["video"] = [file_entry("media/copy.mp4", files["media/gravity.mp4"], type="video/mp4", height=480)]
    files["media/copy.mp4"] = files["media/gravity.mp4"]
    import_version(library, tmp_path / "m", catalog, files)
    keep_series(library, SRC, "mechanics")
    keep_series(library, SRC, "astronomy")
    plan = build_plan(library, free_bytes=ROOMY)
    shared = sha(files["media/gravity.mp4"])
    assert [f.sha256 for f in plan.files].count(shared) == 1
    [entry] = [f for f in plan.files if f.sha256 == shared]
    assert entry.sources == ((SRC, "media/gravity.mp4"), (SRC, "media/copy.mp4"))
    assert plan.fetch_bytes == len(files["media/gravity.mp4"]) + len(files["media/gravity.en.vtt"]) + len(
        files["media/gravity.zh.vtt"]
    ) + len(files["media/light.mp4"])
    # Each series still counts the shared file for itself.
    assert [s.fetch_bytes for s in plan.series] == [plan.fetch_bytes, len(files["media/gravity.mp4"])]


def test_present_files_and_part_files_are_not_fetched_twice(library, tmp_path):
    catalog, files = base_catalog()
    import_version(library, tmp_path / "m", catalog, files)
    keep_series(library, SRC, "mechanics")
    keep_series(library, SRC, "astronomy")
    sync_everything(library)
    unkeep_series(library, SRC, "astronomy")
    keep_series(library, SRC, "astronomy", quality=720)
    part = library.paths.tmp / f"{sha(files['media/stars-720.mp4'])}.mp4.part"
    part.write_bytes(files["media/stars-720.mp4"][:1000])
    plan = build_plan(library, free_bytes=ROOMY)
    [f] = plan.files
    assert (f.sha256, f.have) == (sha(files["media/stars-720.mp4"]), 1000)
    assert plan.total_bytes == len(files["media/stars-720.mp4"])
    assert plan.fetch_bytes == plan.total_bytes - 1000


def test_a_plan_that_does_not_fit_is_refused(library, tmp_path):
    catalog, files = base_catalog()
    import_version(library, tmp_path / "m", catalog, files)
    keep_series(library, SRC, "mechanics")
    # The real free space of the test disk, against a reserve larger than any disk.
    plan = build_plan(library, reserve=10**18)
    assert plan.free_bytes > 0 and plan.available == 0 and not plan.fits
    with pytest.raises(PlanTooBig) as err:
        plan.check_fits()
    assert str(err.value).startswith(f"The plan needs {plan.fetch_bytes / 1000:.1f} KB but only 0 B is free")
    assert "(keeping a reserve of 1000000.0 TB)" in str(err.value)
    assert "lower the reserve with --reserve" in str(err.value)
    assert err.value.exit_code == 1

    set_reserve(library, 10**18)
    assert not build_plan(library).fits
    set_reserve(library, None)
    assert build_plan(library).reserve == 500 * 10**6
    assert build_plan(library, free_bytes=plan.fetch_bytes + 10, reserve=10).fits
    assert not build_plan(library, free_bytes=plan.fetch_bytes + 9, reserve=10).fits


def test_plan_prints_and_serialises(library, tmp_path):
    catalog, files = base_catalog()
    import_version(library, tmp_path / "m", catalog, files)
    keep_series(library, SRC, "mechanics")
    keep_series(library, SRC, "astronomy")
    plan = build_plan(library, free_bytes=2 * 10**9, reserve=5 * 10**8)
    text = format_plan(plan)
    assert "org.example.physics/mechanics  Mechanics  (default quality, never synced)" in text
    assert "2 new, 0 changed, 0 withdrawn lectures; 4 files" in text
    assert "2.0 GB free, keeping a reserve of 500.0 MB." in text
    data = json.loads(json.dumps(plan_to_json(plan)))
    assert [s["series_id"] for s in data["series"]] == ["mechanics", "astronomy"]
    assert data["fits"] is True and data["available"] == 15 * 10**8
    assert data["fetch_bytes"] == sum(f["size"] for f in data["files"])
    assert [s["new"] for s in data["series"]] == [["gravity", "light"], ["stars"]]


def test_plan_of_named_series_only(library, tmp_path):
    from player.errors import BadInput

    catalog, files = base_catalog()
    import_version(library, tmp_path / "m", catalog, files)
    keep_series(library, SRC, "mechanics")
    keep_series(library, SRC, "astronomy")
    plan = build_plan(library, ["astronomy"], free_bytes=ROOMY)
    assert [s.series_id for s in plan.series] == ["astronomy"]
    assert [f.sha256 for f in plan.files] == [sha(files["media/stars.mp4"])]
    unkeep_series(library, SRC, "astronomy")
    with pytest.raises(BadInput, match="No kept series is called 'astronomy'"):
        build_plan(library, ["astronomy"])
