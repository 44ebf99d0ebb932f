"""Importing catalogs: first import, unchanged re-import, new versions, withdrawn lectures."""

from __future__ import annotations

from player.library import queries
from player.library.kept import keep_series
from player.library.materialize import copy_kept_media
from player.library.sources import add_source, list_sources
from tests.mirrors import base_catalog, write_mirror


def lecture_titles(lib):
    return {r[0]: (r[1], r[2]) for r in lib.db.execute("SELECT id, title, withdrawn FROM lectures")}


def test_first_import(library, tmp_path, keypair):
    private, public = keypair
    catalog, files = base_catalog()
    write_mirror(tmp_path / "m", catalog, files, key_path=private)
    result = add_source(library, str(tmp_path / "m"), pubkey=public)
    assert (result.source_id, result.version, result.added, result.series_added) == (
        "org.example.physics",
        1,
        3,
        2,
    )
    assert result.warnings == []
    [source] = list_sources(library)
    assert source.pubkey == public and source.series_count == 2 and source.lecture_count == 3
    series = queries.list_series(library)
    assert [s.id for s in series] == ["mechanics", "astronomy"]
    assert series[0].title == {"zh": "力学", "en": "Mechanics"}
    assert series[0].lecture_count == 2
    # Only the first rendition counts towards the size, plus subtitles.
    assert series[1].total_size == len(files["media/stars.mp4"])
    lectures = queries.list_lectures(library, series[0].pk)
    assert lectures[0].chapters[1]["title"] == {"en": "Orbits", "zh": "轨道"}
    assert lectures[0].speakers[0]["affiliation"] == "Peking University"
    media = queries.lecture_media(library, lectures[0].pk)
    assert {(m.role, m.lang, m.state) for m in media} == {
        ("video", None, "absent"),
        ("subtitle", "en", "absent"),
        ("subtitle", "zh", "absent"),
    }
    # The signed catalog is kept byte for byte, for export and rebuilds.
    assert (library.paths.catalogs / "org.example.physics.json").read_bytes() == (
        tmp_path / "m/catalog.json"
    ).read_bytes()
    assert (library.paths.catalogs / "org.example.physics.json.sig").exists()


def test_unsigned_catalog_warns(library, tmp_path):
    catalog, files = base_catalog()
    write_mirror(tmp_path / "m", catalog, files)
    result = add_source(library, str(tmp_path / "m"))
    assert any("not signed" in w for w in result.warnings)


def test_reimport_unchanged_is_a_no_op(library, tmp_path):
    catalog, files = base_catalog()
    write_mirror(tmp_path / "m", catalog, files)
    add_source(library, str(tmp_path / "m"))
    before = list(library.db.conn.iterdump())
    result = add_source(library, str(tmp_path / "m"))
    assert result.unchanged
    assert list(library.db.conn.iterdump()) == before


def test_new_version_updates_only_changes(library, tmp_path):
    catalog, files = base_catalog()
    write_mirror(tmp_path / "m", catalog, files)
    add_source(library, str(tmp_path / "m"))
    pks = {r[0]: r[1] for r in library.db.execute("SELECT id, pk FROM lectures")}

    catalog["version"] = 2
    catalog["series"][0]["lectures"][1]["title"] = "Light, revised"
    del catalog["series"][1]["lectures"][0]  # "stars" leaves the catalog
    catalog["series"][1]["lectures"].append(
        {
            "id": "comets",
            "title": "Comets",
            "duration": 60,
            "video": [catalog["series"][0]["lectures"][1]["video"][0]],
        }
    )
    write_mirror(tmp_path / "m", catalog, files)
    result = add_source(library, str(tmp_path / "m"))
    assert (result.added, result.changed, result.withdrawn) == (1, 1, 1)
    titles = lecture_titles(library)
    assert titles["light"] == ('"Light, revised"', 0)
    assert titles["stars"][1] == 1  # withdrawn, not deleted
    assert {r[0]: r[1] for r in library.db.execute("SELECT id, pk FROM lectures")}["gravity"] == pks[
        "gravity"
    ]
    # A withdrawn lecture that comes back is restored with the same key.
    catalog["version"] = 3
    catalog["series"][1]["lectures"].insert(0, base_catalog()[0]["series"][1]["lectures"][0])
    write_mirror(tmp_path / "m", catalog, files)
    add_source(library, str(tmp_path / "m"))
    assert lecture_titles(library)["stars"][1] == 0
    assert {r[0]: r[1] for r in library.db.execute("SELECT id, pk FROM lectures")}["stars"] == pks["stars"]


def test_withdrawn_series_keeps_files_and_progress(library, tmp_path):
    catalog, files = base_catalog()
    write_mirror(tmp_path / "m", catalog, files)
    add_source(library, str(tmp_path / "m"))
    keep_series(library, "org.example.physics", "astronomy")
    copy_kept_media(
        library,
        __import__("player.catalog.mirror", fromlist=["x"]).open_mirror(str(tmp_path / "m")),
        "org.example.physics",
    )
    stored = library.paths.media_file(catalog["series"][1]["lectures"][0]["video"][0]["sha256"], "mp4")
    assert stored.read_bytes() == files["media/stars.mp4"]
    catalog["version"] = 2
    del catalog["series"][1]
    write_mirror(tmp_path / "m", catalog, files)
    add_source(library, str(tmp_path / "m"))
    assert stored.exists()
    row = library.db.execute("SELECT withdrawn FROM series WHERE id = 'astronomy'").fetchone()
    assert row == (1,)
    assert queries.count_series(library) == 1
    assert library.db.execute("SELECT count(*) FROM kept").fetchone() == (1,)


def test_copy_from_local_mirror_verifies_hashes(library, tmp_path):
    from player.catalog.mirror import open_mirror

    catalog, files = base_catalog()
    files_bad = dict(files)
    files_bad["media/light.mp4"] = b"corrupted" * 10
    write_mirror(tmp_path / "m", catalog, files_bad)
    add_source(library, str(tmp_path / "m"))
    keep_series(library, "org.example.physics", "mechanics")
    result = copy_kept_media(library, open_mirror(str(tmp_path / "m")), "org.example.physics")
    assert result.copied == 3
    assert [href for href, _ in result.failed] == ["media/light.mp4"]
    states = dict(library.db.execute("SELECT href, state FROM media"))
    assert states["media/light.mp4"] == "absent"
    assert states["media/gravity.mp4"] == "present"
    assert not list(library.paths.tmp.iterdir())  # no partial file left behind


def test_large_catalog_in_several_batches(library):
    """Thousands of lectures: written in batches, then updated, with every row accounted for."""
    from player.catalog.mirror import CatalogFiles
    from player.library.importer import import_catalog
    from tests.benchmarks import synth

    v1 = synth.catalog_bytes(n_series=25, n_lectures=200, version=1)
    result = import_catalog(library, CatalogFiles(v1, None), location="synth")
    assert result.added == 5000
    assert library.db.execute("SELECT count(*), count(DISTINCT id) FROM lectures").fetchone() == (5000, 5000)
    assert library.db.execute("SELECT count(*) FROM media").fetchone() == (10000,)
    assert library.db.execute("SELECT count(*) FROM lectures_fts").fetchone() == (5000,)
    v2 = synth.catalog_bytes(n_series=25, n_lectures=200, version=2, changed_fraction=0.01)
    result = import_catalog(library, CatalogFiles(v2, None), location="synth")
    assert (result.added, result.changed, result.withdrawn) == (0, 50, 0)
    assert library.db.execute("SELECT count(*) FROM lectures WHERE title LIKE '%(rev 2)%'").fetchone() == (
        50,
    )
    assert library.db.execute("SELECT count(*) FROM media").fetchone() == (10000,)
    series = queries.list_series(library)
    assert sum(s.lecture_count for s in series) == 5000
    assert (
        sum(s.total_size for s in series) == library.db.execute("SELECT sum(size) FROM media").fetchone()[0]
    )
