"""The command line: exit codes, one-sentence errors, and the library commands."""

from __future__ import annotations

import json
import subprocess
import sys

from player.cli import main
from tests.mirrors import base_catalog, write_mirror


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sources_series_search_round_trip(tmp_path, capsys, keypair, monkeypatch):
    monkeypatch.setenv("LECTURE_PLAYER_LIBRARY", str(tmp_path / "lib"))
    private, public = keypair
    catalog, files = base_catalog()
    write_mirror(tmp_path / "m", catalog, files, key_path=private)
    code, out, err = run(capsys, "sources", "add", str(tmp_path / "m"), "--pubkey", public)
    assert code == 0, err
    assert "imported version 1: 3 new" in out
    code, out, _ = run(capsys, "sources", "list")
    assert "org.example.physics  v1  2 series, 3 lectures  (key pinned)" in out
    code, out, _ = run(capsys, "series", "list", "--json")
    rows = {(r["source_id"], r["id"]): r for r in json.loads(out)}
    mechanics = rows[("org.example.physics", "mechanics")]
    assert (mechanics["lecture_count"], mechanics["kept"]) == (2, False)
    code, out, _ = run(capsys, "series", "list")
    assert "org.example.physics/astronomy  Astronomy  1 lectures" in out
    code, out, _ = run(capsys, "search", "引力", "--json")
    assert [h["lecture_id"] for h in json.loads(out)] == ["gravity"]


def test_a_library_made_by_the_command_line_starts_without_the_sample(tmp_path, capsys):
    # The sample is for a person's first start of the app (see test_ui_app); a library a
    # script or a server makes is empty, so that it exports and shares only its own.
    lib = tmp_path / "lib"
    code, out, _ = run(
        capsys, "--library", str(lib), "sources", "add", str(write_mirror(tmp_path / "m", base_catalog()[0]))
    )
    assert code == 0 and (lib / "library.db").exists()
    code, out, _ = run(capsys, "--library", str(lib), "sources", "list", "--json")
    assert code == 0
    assert [s["id"] for s in json.loads(out)] == ["org.example.physics"]
    code, out, _ = run(capsys, "--library", str(tmp_path / "other"), "series", "list", "--json")
    assert code == 0 and json.loads(out) == []


def test_bad_input_exits_2_with_one_sentence(tmp_path, capsys):
    catalog, _ = base_catalog()
    catalog["series"][0]["lectures"][0]["video"][0]["href"] = "../../etc/passwd"
    write_mirror(tmp_path / "m", catalog)
    code, out, err = run(capsys, "--library", str(tmp_path / "lib"), "sources", "add", str(tmp_path / "m"))
    assert code == 2
    assert err.startswith("lecture-player: The catalog is invalid at $.series[0].lectures[0].video[0].href")
    assert "Traceback" not in err
    code, _, err = run(
        capsys, "--library", str(tmp_path / "lib"), "sources", "add", str(tmp_path / "nowhere")
    )
    assert code == 2 and "does not exist" in err


def test_usage_errors_exit_2(capsys):
    assert main(["sources", "frobnicate"]) == 2
    assert main(["--no-such-option"]) == 2


def test_debug_shows_the_traceback(tmp_path, capsys):
    code, _, err = run(
        capsys, "--debug", "--library", str(tmp_path / "lib"), "sources", "add", str(tmp_path / "x")
    )
    assert code == 2 and "Traceback" in err


def test_console_entry_points(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "player", "--library", str(tmp_path / "lib"), "sources", "list"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("No sources. Add one with `lecture-player sources add URL_OR_PATH`.")


def test_no_display_gives_a_clear_error_instead_of_a_crash(tmp_path):
    env = {
        k: v
        for k, v in __import__("os").environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    out = subprocess.run(
        [sys.executable, "-m", "player", "--library", str(tmp_path / "lib")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert "No display was found" in out.stderr and "Traceback" not in out.stderr


def test_source_quality_setting(tmp_path, capsys):
    catalog, files = base_catalog()
    write_mirror(tmp_path / "m", catalog, files)
    lib = str(tmp_path / "lib")
    assert run(capsys, "--library", lib, "sources", "add", str(tmp_path / "m"))[0] == 0
    code, out, _ = run(capsys, "--library", lib, "sources", "set", "org.example.physics", "--quality", "360")
    assert code == 0 and "360p at most" in out
    from player.library.db import open_library
    from player.sync.preferences import source_quality

    with open_library(tmp_path / "lib", write=False) as opened:
        assert source_quality(opened, "org.example.physics") == 360
    assert run(capsys, "--library", lib, "sources", "set", "org.example.physics", "--quality", "big")[0] == 2
    assert run(capsys, "--library", lib, "sources", "set", "nope", "--quality", "360")[0] == 2


def test_sync_network_options_are_checked(tmp_path, capsys):
    code, _, err = run(capsys, "--library", str(tmp_path / "lib"), "sync", "--connect-timeout", "0")
    assert code == 2 and "Timeouts must be positive" in err
