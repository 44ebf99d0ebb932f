import json

import pytest

from player.cli import main
from player.publisher import build_catalog, check_mirror, verify_mirror
from tests.httpserver import serve_folder
from tests.publisher_src import copy_source, make_template


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("verify")
    src = make_template(root)
    build_catalog(src, root / "mirror")
    return root / "mirror"


@pytest.fixture
def mirror(built, tmp_path):
    # A copy, so that damaging it cannot touch the (hard-linked) source files.
    return copy_source(built, tmp_path / "mirror")


def test_verify_names_missing_resized_and_altered_files_by_json_path(mirror, capsys):
    media = mirror / "media" / "physics"
    (media / "01-falling.zh.srt").unlink()
    with open(media / "02-heat.jpg", "ab") as f:
        f.write(b"extra")
    video = media / "01-falling.mp4"
    data = bytearray(video.read_bytes())
    data[-1] ^= 0xFF
    video.write_bytes(bytes(data))

    problems = dict(verify_mirror(str(mirror)))
    # physics is the second series; its lectures are 02-heat, then 01-falling.
    falling = "$.series[1].lectures[1]"
    assert problems[f"{falling}.subtitles[1].href"] == "media/physics/01-falling.zh.srt: the file is missing"
    assert "02-heat.jpg is" in problems["$.series[1].lectures[0].thumbnail.size"]
    assert "01-falling.mp4 has sha256" in problems[f"{falling}.video[0].sha256"]
    assert len(problems) == 3

    assert main(["catalog", "verify", str(mirror)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert f"{falling}.subtitles[1].href: media/physics/01-falling.zh.srt: the file is missing" in lines
    assert lines[-1].startswith("3 problems in ")


def test_verify_lists_every_schema_problem_with_its_path(mirror, capsys):
    path = mirror / "catalog.json"
    tree = json.loads(path.read_bytes())
    tree["version"] = 0
    tree["series"][0]["lectures"][0]["duration"] = -1
    del tree["series"][1]["title"]
    path.write_text(json.dumps(tree))

    report = check_mirror(str(mirror))
    where = [p for p, _ in report.problems]
    assert "$.version" in where
    assert "$.series[0].lectures[0].duration" in where
    assert "$.series[1]" in where  # 'title' is missing
    assert main(["catalog", "verify", str(mirror)]) == 1


def test_verify_refuses_a_catalog_that_is_not_json(mirror, capsys):
    (mirror / "catalog.json").write_text("{not json")
    assert main(["catalog", "verify", str(mirror)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["catalog", "verify", str(mirror.parent / "nowhere")]) == 2


def test_verify_checks_a_mirror_over_http(mirror):
    with serve_folder(mirror) as url:
        report = check_mirror(url)
        assert report.problems == [] and report.files == 7
        (mirror / "media" / "astronomy" / "moon.mkv").unlink()
        problems = verify_mirror(url + "catalog.json")
    assert problems == [
        ("$.series[0].lectures[0].video[0].href", "media/astronomy/moon.mkv: the server answered HTTP 404")
    ]
