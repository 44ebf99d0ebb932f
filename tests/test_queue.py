"""The persistent sync queue: it survives reopening the library, resumes from part files,
and records finished files in one commit per batch."""

from __future__ import annotations

from pathlib import Path

from player.library import queries
from player.library.db import open_library
from player.library.kept import keep_series
from player.library.search import search
from player.library.sources import add_source
from player.library.store import put_file
from player.sync.plan import build_plan
from player.sync.queue import (
    enqueue,
    mark_done,
    mark_done_many,
    mark_failed,
    mark_partial,
    next_batch,
    pending,
    resolve_candidates,
)
from tests.mirrors import base_catalog, sha, write_mirror

SRC = "org.example.physics"
ROOMY = 10**15


def media_states(lib) -> dict[str, str]:
    return dict(lib.db.execute("SELECT DISTINCT href, state FROM media").fetchall())


def setup_kept(lib, tmp_path: Path) -> dict[str, bytes]:
    catalog, files = base_catalog()
    add_source(lib, str(write_mirror(tmp_path / "m", catalog, files)))
    keep_series(lib, SRC, "mechanics")
    return files


def fetch(lib, job) -> Path:
    return put_file(lib.paths, Path(job.candidates[0].location), job.sha256, job.size, job.ext)


def test_enqueue_marks_media_queued_and_survives_reopening(tmp_path):
    lib = open_library(tmp_path / "lib", install_sample=False)
    files = setup_kept(lib, tmp_path)
    assert enqueue(lib, build_plan(lib, free_bytes=ROOMY)) == 4
    states = media_states(lib)
    assert states["media/gravity.mp4"] == states["media/light.mp4"] == "queued"
    assert states["media/stars.mp4"] == "absent"  # not kept
    mark_partial(lib, sha(files["media/light.mp4"]))
    lib.close()

    # As after a kill: a new process opens the library and finds the same work.
    lib = open_library(tmp_path / "lib", install_sample=False)
    try:
        assert len(pending(lib)) == 4
        jobs = next_batch(lib, 10)
        assert jobs[0].sha256 == sha(files["media/light.mp4"]) and jobs[0].state == "partial"
        assert [j.sha256 for j in jobs[1:]] == [
            sha(files[h]) for h in ("media/gravity.mp4", "media/gravity.en.vtt", "media/gravity.zh.vtt")
        ]
        [candidate] = jobs[0].candidates
        assert (candidate.source_id, candidate.href) == (SRC, "media/light.mp4")
        assert Path(candidate.location) == (tmp_path / "m" / "media" / "light.mp4").resolve()
        assert len(next_batch(lib, 2)) == 2
        # The mirror moved since the file was queued: its href is enough to find it again.
        (tmp_path / "m").rename(tmp_path / "moved")
        with lib.db.atomic():
            lib.db.execute("UPDATE sources SET location = ?", [str(tmp_path / "moved")])
        [again] = resolve_candidates(lib, jobs[0].candidates)
        assert Path(again.location) == (tmp_path / "moved" / "media" / "light.mp4").resolve()
    finally:
        lib.close()


def test_next_batch_reports_the_bytes_already_on_disk(library, tmp_path):
    files = setup_kept(library, tmp_path)
    enqueue(library, build_plan(library, free_bytes=ROOMY))
    video = sha(files["media/gravity.mp4"])
    [job] = [j for j in next_batch(library, 10) if j.sha256 == video]
    assert (job.part, job.have) == (library.paths.tmp / f"{video}.mp4.part", 0)
    job.part.write_bytes(files["media/gravity.mp4"][:500])
    [job] = [j for j in next_batch(library, 10) if j.sha256 == video]
    assert job.have == 500


def test_mark_done_many_commits_once_and_keeps_media_right(library, tmp_path):
    setup_kept(library, tmp_path)
    enqueue(library, build_plan(library, free_bytes=ROOMY))
    jobs = next_batch(library, 10)
    done = [(job.sha256, fetch(library, job)) for job in jobs]
    commits: list[str] = []
    library.db.conn.set_trace_callback(lambda sql: commits.append(sql) if sql.strip() == "COMMIT" else None)
    try:
        mark_done_many(library, done)
    finally:
        library.db.conn.set_trace_callback(None)
    assert len(commits) == 1
    assert pending(library) == [] and next_batch(library, 10) == []
    assert set(media_states(library).values()) == {"present", "absent"}
    [mechanics] = queries.find_series(library, "mechanics")
    assert mechanics.present_size == mechanics.total_size > 0
    # The subtitles were indexed for search as they arrived.
    assert any(hit.lecture_id == "gravity" for hit in search(library, "Newton"))


def test_failed_files_wait_for_the_next_enqueue(library, tmp_path):
    files = setup_kept(library, tmp_path)
    plan = build_plan(library, free_bytes=ROOMY)
    enqueue(library, plan)
    video = sha(files["media/light.mp4"])
    mark_failed(library, video, "HTTP 503")
    assert video not in {j.sha256 for j in next_batch(library, 10)}
    [failed] = [e for e in pending(library) if e.sha256 == video]
    assert (failed.state, failed.attempts, failed.last_error) == ("failed", 1, "HTTP 503")
    assert media_states(library)["media/light.mp4"] == "failed"

    enqueue(library, plan)
    [job] = [j for j in next_batch(library, 10) if j.sha256 == video]
    assert (job.state, job.attempts) == ("queued", 1)
    mark_done(library, video, fetch(library, job))
    assert media_states(library)["media/light.mp4"] == "present"
    assert video not in {e.sha256 for e in pending(library)}


def test_a_changed_lecture_keeps_its_files_queued(library, tmp_path):
    """A new catalog version rebuilds a changed lecture's media rows; a file waiting in the
    sync queue must still show as queued, not as absent."""
    from player.library.kept import keep_series
    from player.library.sources import add_source
    from player.sync.plan import build_plan
    from player.sync.queue import enqueue
    from tests.mirrors import base_catalog, write_mirror

    catalog, files = base_catalog()
    write_mirror(tmp_path / "m", catalog, files)
    add_source(library, str(tmp_path / "m"))
    keep_series(library, "org.example.physics", "mechanics")
    enqueue(library, build_plan(library, reserve=0))
    catalog["version"] = 2
    catalog["series"][0]["lectures"][0]["title"] = "Gravitation, revised"
    write_mirror(tmp_path / "m", catalog, files)
    assert add_source(library, str(tmp_path / "m")).changed == 1
    states = dict(library.db.execute("SELECT href, state FROM media WHERE lecture_pk IS NOT NULL"))
    assert states["media/gravity.mp4"] == "queued"
    assert states["media/gravity.en.vtt"] == "queued"
