import errno
import hashlib
import os
import stat
from pathlib import Path

import pytest

from player.catalog.mirror import open_mirror
from player.catalog.parse import parse_catalog
from player.cli import main
from player.errors import BadInput
from player.publisher import build_catalog, verify_mirror
from player.publisher.folder import sanitise_id
from tests.publisher_src import copy_source, make_template


@pytest.fixture(scope="session")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("publisher"))


@pytest.fixture
def src(template, tmp_path):
    return copy_source(template, tmp_path / "src")


class Events:
    """Collects progress events, to count hashing without relying on timing."""

    def __init__(self):
        self.events = []

    def __call__(self, event, **info):
        self.events.append((event, info))

    def hashed(self):
        return sorted(info["path"].name for event, info in self.events if event == "hashed")


def test_keygen_writes_a_private_key_for_the_owner_only_and_never_overwrites(tmp_path, capsys):
    key = tmp_path / "pub.key"
    assert main(["catalog", "keygen", str(key)]) == 0
    out = capsys.readouterr().out
    assert str(key) in out and str(key) + ".pub" in out
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len((tmp_path / "pub.key.pub").read_text().strip()) == 64
    before = key.read_bytes()

    assert main(["catalog", "keygen", str(key)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert key.read_bytes() == before

    assert main(["catalog", "keygen", str(tmp_path / "missing" / "k")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_build_makes_a_catalog_that_parses_and_verifies(src, tmp_path, capsys):
    out = tmp_path / "mirror"
    assert main(["catalog", "build", str(src), "--out", str(out)]) == 0
    assert "version 1" in capsys.readouterr().out
    raw = (out / "catalog.json").read_bytes()
    catalog = parse_catalog(raw).catalog
    assert catalog.id == "org.example.test" and catalog.title == "Test lectures" and catalog.version == 1
    assert catalog.published.endswith("Z")

    astronomy, physics = catalog.series
    assert (astronomy.id, astronomy.title) == ("astronomy", "astronomy")
    assert [lec.id for lec in astronomy.lectures] == ["astronomy.moon"]
    moon = astronomy.lectures[0]
    assert moon.title == "moon" and moon.video[0].type == "video/x-matroska"
    assert (moon.video[0].height, moon.video[0].width) == (90, 160)
    assert moon.duration == pytest.approx(1.0, abs=0.1)

    assert physics.title == {"zh": "生活中的物理", "en": "Physics in Everyday Life"}
    assert physics.tags == ["physics"]
    assert physics.poster.href == "media/physics/poster.jpg"
    heat, falling = physics.lectures  # "order" in series.json beats file names
    assert heat.id == "physics.02-heat" and falling.id == "falling-bodies"
    assert heat.speakers[0].affiliation == "Example University" and heat.speakers[1].name == "Ana"
    assert [c.start for c in heat.chapters] == [0, 1]
    assert heat.published == "2024-03-11"
    assert heat.thumbnail.type == "image/jpeg"
    assert heat.duration == pytest.approx(1.5, abs=0.1)
    assert falling.duration == pytest.approx(2.0, abs=0.1)
    assert [(s.lang, s.type) for s in falling.subtitles] == [
        ("en", "text/vtt"),
        ("zh", "application/x-subrip"),
    ]

    mirror = open_mirror(str(out))
    video = falling.video[0]
    assert video.href == "media/physics/01-falling.mp4" and video.type == "video/mp4" and video.height == 180
    data = (src / "physics" / "01-falling.mp4").read_bytes()
    assert video.size == len(data)
    assert video.sha256 == hashlib.sha256(data).hexdigest()
    assert Path(mirror.resolve(video.href)).read_bytes() == data

    assert verify_mirror(str(out)) == []
    assert main(["catalog", "verify", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("OK: org.example.test version 1: 2 series, 3 lectures, 7 files")
    assert "not signed" in printed


def test_signed_build_verifies_and_an_altered_catalog_does_not(src, tmp_path, capsys, keypair):
    private, public = keypair
    out = tmp_path / "mirror"
    assert main(["catalog", "build", str(src), "--out", str(out), "--key", str(private)]) == 0
    assert "signed" in capsys.readouterr().out
    assert main(["catalog", "verify", str(out), "--pubkey", public]) == 0
    assert "signature valid" in capsys.readouterr().out
    assert main(["catalog", "verify", str(out)]) == 0
    assert "not checked against a key" in capsys.readouterr().out

    path = out / "catalog.json"
    path.write_bytes(path.read_bytes().replace(b'"Test lectures"', b'"Test lectureZ"'))
    assert main(["catalog", "verify", str(out), "--pubkey", public]) == 1
    printed = capsys.readouterr().out
    assert "catalog.json.sig: The catalog's signature does not match" in printed

    (out / "catalog.json.sig").unlink()
    assert main(["catalog", "verify", str(out), "--pubkey", public]) == 1
    assert "catalog.json.sig: The catalog has no signature" in capsys.readouterr().out


def test_rebuilding_an_unchanged_folder_reads_nothing_and_keeps_the_catalog(src, tmp_path, keypair):
    private, _ = keypair
    out = tmp_path / "mirror"
    first = Events()
    result = build_catalog(src, out, key_path=private, progress=first)
    assert len(first.hashed()) == result.files == 7
    raw, sig = (out / "catalog.json").read_bytes(), (out / "catalog.json.sig").read_bytes()
    mtime = (out / "catalog.json").stat().st_mtime_ns

    again = Events()
    result = build_catalog(src, out, key_path=private, progress=again)
    assert again.hashed() == []
    assert not result.changed and result.version == 1 and result.signed
    assert ("unchanged", {"path": out / "catalog.json", "version": 1}) in again.events
    assert (out / "catalog.json").read_bytes() == raw
    assert (out / "catalog.json").stat().st_mtime_ns == mtime
    assert (out / "catalog.json.sig").read_bytes() == sig


def test_a_changed_file_is_rehashed_alone_and_the_version_goes_up(src, tmp_path):
    out = tmp_path / "mirror"
    build_catalog(src, out)
    subtitle = src / "physics" / "01-falling.en.vtt"
    subtitle.write_text("WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nChanged\n")

    events = Events()
    result = build_catalog(src, out, progress=events)
    assert events.hashed() == ["01-falling.en.vtt"]
    assert result.changed and result.version == 2
    catalog = parse_catalog((out / "catalog.json").read_bytes()).catalog
    sub = catalog.series[1].lectures[1].subtitles[0]
    assert sub.sha256 == hashlib.sha256(subtitle.read_bytes()).hexdigest()
    assert verify_mirror(str(out)) == []

    result = build_catalog(src, out)
    assert not result.changed and result.version == 2


def test_base_version_sets_the_lowest_version(src, tmp_path, capsys):
    out = tmp_path / "mirror"
    assert main(["catalog", "build", str(src), "--out", str(out), "--base-version", "10"]) == 0
    assert "version 10" in capsys.readouterr().out
    assert build_catalog(src, out, base_version=5).version == 10  # unchanged: kept
    assert build_catalog(src, out, base_version=20).version == 20  # above: a new version
    (src / "physics" / "02-heat.jpg").unlink()
    result = build_catalog(src, out, base_version=3)
    assert result.version == 21 and result.removed == ["media/physics/02-heat.jpg"]
    assert not (out / "media" / "physics" / "02-heat.jpg").exists()
    assert verify_mirror(str(out)) == []
    assert main(["catalog", "build", str(src), "--out", str(out), "--base-version", "0"]) == 2


def test_without_hard_links_files_are_copied_once(src, tmp_path, monkeypatch):
    def no_links(*args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    out = tmp_path / "mirror"
    events = Events()
    build_catalog(src, out, progress=events)
    assert len(events.hashed()) == 7
    copy = out / "media" / "physics" / "01-falling.mp4"
    original = src / "physics" / "01-falling.mp4"
    assert copy.stat().st_ino != original.stat().st_ino
    assert copy.read_bytes() == original.read_bytes()
    assert verify_mirror(str(out)) == []

    inode = copy.stat().st_ino
    events = Events()
    build_catalog(src, out, progress=events)
    assert events.hashed() == []
    assert copy.stat().st_ino == inode  # not copied again


def test_an_unsigned_build_removes_the_stale_signature(src, tmp_path, keypair):
    private, public = keypair
    out = tmp_path / "mirror"
    build_catalog(src, out, key_path=private)
    (src / "astronomy" / "moon.mkv").rename(src / "astronomy" / "full-moon.mkv")
    events = Events()
    result = build_catalog(src, out, progress=events)
    assert result.changed and not result.signed
    assert not (out / "catalog.json.sig").exists()
    assert any("Removed" in info["message"] for event, info in events.events if event == "warning")
    # Signing an unchanged catalog adds the signature without touching the catalog.
    raw = (out / "catalog.json").read_bytes()
    result = build_catalog(src, out, key_path=private)
    assert not result.changed and result.signed
    assert (out / "catalog.json").read_bytes() == raw
    assert verify_mirror(str(out), public) == []


def test_bad_source_folders_are_refused_with_exit_2(tmp_path, src, capsys):
    out = tmp_path / "mirror"
    assert main(["catalog", "build", str(tmp_path / "nope"), "--out", str(out)]) == 2
    assert "does not exist or is not a folder" in capsys.readouterr().err

    empty = tmp_path / "empty"
    (empty / "series").mkdir(parents=True)
    assert main(["catalog", "build", str(empty), "--out", str(out)]) == 2
    assert "No series found" in capsys.readouterr().err

    assert main(["catalog", "build", str(src), "--out", str(src / "mirror")]) == 2
    assert "inside the source folder" in capsys.readouterr().err

    (src / "physics" / "03-broken.mp4").write_bytes(b"this is not a video" * 10)
    assert main(["catalog", "build", str(src), "--out", str(out)]) == 2
    assert "03-broken.mp4" in capsys.readouterr().err
    (src / "physics" / "03-broken.mp4").unlink()

    (src / "physics" / "series.json").write_text('{"titel": "typo"}')
    assert main(["catalog", "build", str(src), "--out", str(out)]) == 2
    assert "unknown key 'titel'" in capsys.readouterr().err

    (src / "physics" / "series.json").write_text('{"title": {"english": "x"}}')
    assert main(["catalog", "build", str(src), "--out", str(out)]) == 2
    assert "$.series[1].title" in capsys.readouterr().err

    (src / "physics" / "series.json").write_text('{"id": "../escape"}')
    with pytest.raises(BadInput, match="is not an id"):
        build_catalog(src, out)


def test_ids_are_sanitised_and_stay_distinct():
    assert sanitise_id("01 Falling bodies!") == "01-Falling-bodies"
    assert sanitise_id("..hidden") == "hidden"
    assert sanitise_id("第1讲") != sanitise_id("第1课")
    assert sanitise_id("第1讲").startswith("1-")
    assert sanitise_id("物理").startswith("id-")
    assert len(sanitise_id("x" * 300)) == 128
