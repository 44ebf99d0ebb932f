from player.catalog.parse import parse_catalog
from player.cli import main
from player.publisher import check_mirror
from player.resources import resource_path


def test_the_bundled_sample_is_a_sound_signed_mirror(capsys):
    sample, pubkey = resource_path("sample"), resource_path("sample.pub")
    report = check_mirror(str(sample), str(pubkey))
    assert report.problems == []
    assert report.signature == "valid"
    assert report.catalog_id == "org.lecture-player.sample"
    assert (report.series, report.lectures) == (2, 6)
    assert report.bytes <= 3_000_000
    assert not (sample / ".build-cache.json").exists()

    catalog = parse_catalog((sample / "catalog.json").read_bytes()).catalog
    titles = [s.title for s in catalog.series]
    assert {"zh": "生活中的物理", "en": "Physics in Everyday Life"} in titles
    assert {"zh": "天文学入门", "en": "A First Look at Astronomy"} in titles
    for series in catalog.series:
        assert series.poster
        for lecture in series.lectures:
            assert {s.lang for s in lecture.subtitles} == {"zh", "en"}
            assert lecture.speakers and lecture.chapters and lecture.thumbnail
            assert 8 <= lecture.duration <= 12.5

    assert main(["catalog", "verify", str(sample), "--pubkey", str(pubkey)]) == 0
    assert "signature valid" in capsys.readouterr().out
