from player.catalog.mirror import open_mirror
from player.library.kept import keep_series
from player.library.materialize import copy_kept_media
from player.library.search import search
from player.library.sources import add_source
from tests.mirrors import base_catalog, write_mirror


def make(library, tmp_path):
    catalog, files = base_catalog()
    write_mirror(tmp_path / "m", catalog, files)
    add_source(library, str(tmp_path / "m"))
    keep_series(library, "org.example.physics", "mechanics")
    copy_kept_media(library, open_mirror(str(tmp_path / "m")), "org.example.physics")


def test_search_titles_speakers_and_prefixes(library, tmp_path):
    make(library, tmp_path)
    # Lecture hits come first; a subtitle line that matches follows, with its moment.
    assert [(h.kind, h.lecture_id, h.start) for h in search(library, "gravit")] == [
        ("lecture", "gravity", None),
        ("subtitle", "gravity", 1.0),
    ]
    assert [h.lecture_id for h in search(library, "Li Hua")] == ["gravity"]
    assert [h.lecture_id for h in search(library, "chen")] == ["stars"]
    assert search(library, "nothing-like-this") == []
    assert search(library, '"); DROP TABLE lectures; --') == []


def test_search_chinese_substrings(library, tmp_path):
    make(library, tmp_path)
    assert [h.lecture_id for h in search(library, "引力")] == ["gravity"]
    assert [h.lecture_id for h in search(library, "光")][:1] == ["light"]


def test_search_subtitle_text_gives_the_moment(library, tmp_path):
    make(library, tmp_path)
    hits = search(library, "运动定律")
    assert [(h.kind, h.lecture_id, h.start) for h in hits] == [("subtitle", "gravity", 4.0)]
    hits = search(library, "laws of motion")
    assert hits[0].kind == "subtitle" and hits[0].snippet == "Newton wrote the laws of motion."


def test_withdrawn_lectures_are_not_found(library, tmp_path):
    make(library, tmp_path)
    catalog, files = base_catalog(version=2)
    del catalog["series"][1]
    write_mirror(tmp_path / "m", catalog, files)
    add_source(library, str(tmp_path / "m"))
    assert search(library, "stars") == []


def test_query_building():
    from player.textutil import fts_query

    assert fts_query("海啸第3讲") == '"海 啸 第 3 讲"'
    assert fts_query("Wang Wei") == '"Wang" AND "Wei"*'
    assert fts_query("part 7") == '"part" AND "7"'  # no one-letter prefix
    assert fts_query('quantum" OR x') == '"quantum" AND "OR" AND "x"'
    assert fts_query("  ,;  ") is None


def test_title_matches_come_first(library, tmp_path):
    catalog, files = base_catalog()
    # "light" is in the description of gravity (listed first) and the title of light.
    catalog["series"][0]["lectures"][0]["description"] = "Gravity bends light."
    write_mirror(tmp_path / "m", catalog, files)
    add_source(library, str(tmp_path / "m"))
    assert [h.lecture_id for h in search(library, "light")] == ["light", "gravity"]
