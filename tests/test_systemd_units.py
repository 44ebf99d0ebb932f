"""The systemd units in packaging/systemd/ run commands this command line really has."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from player.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
UNITS = ROOT / "packaging" / "systemd"
PROGRAM = "/usr/bin/lecture-player"
SERVICES = sorted(UNITS.glob("*.service"))
TIMERS = sorted(UNITS.glob("*.timer"))


def read_unit(path: Path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return unit


def command(path: Path) -> list[str]:
    return shlex.split(read_unit(path)["Service"]["ExecStart"])


def split_command(argv: list[str]) -> tuple[list[str], str, list[str]]:
    """(global options, command, the command's options) of `lecture-player …` arguments."""
    commands = {"sync", "serve", "doctor", "import", "export"}
    at = next(i for i, arg in enumerate(argv) if arg in commands)
    return argv[:at], argv[at], argv[at + 1 :]


def options(args: list[str]) -> list[str]:
    return [a.split("=", 1)[0] for a in args if a.startswith("--")]


def help_text(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "player", *args, "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_units_are_there():
    names = {p.name for p in SERVICES + TIMERS}
    assert {
        "lecture-player-sync.service",
        "lecture-player-sync.timer",
        "lecture-player-share.service",
    } <= names


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_each_command_parses_with_the_real_command_line(path):
    argv = command(path)
    assert argv[0] == PROGRAM
    # The real parser, so an unknown option or a bad value (a window, a port) fails here.
    args = build_parser().parse_args(argv[1:])
    assert args.library == "/var/lib/lecture-player"
    global_opts, cmd, cmd_args = split_command(argv[1:])
    top_help = help_text()
    for option in options(global_opts):
        assert re.search(rf"{re.escape(option)}\b", top_help), f"{path.name}: no global option {option}"
    cmd_help = help_text(cmd)
    for option in options(cmd_args):
        assert re.search(rf"{re.escape(option)}\b", cmd_help), f"{path.name}: `{cmd}` has no option {option}"


def test_every_service_uses_the_same_account_and_library():
    seen = {
        (read_unit(p)["Service"]["User"], build_parser().parse_args(command(p)[1:]).library) for p in SERVICES
    }
    assert len(seen) == 1, seen
    user, library = seen.pop()
    for path in SERVICES:
        service = read_unit(path)["Service"]
        # systemd makes the library folder, owned by that account.
        assert library == f"/var/lib/{service['StateDirectory']}"


def test_the_sync_runs_nightly_inside_a_window_and_yields_to_the_day():
    argv = command(UNITS / "lecture-player-sync.service")
    args = build_parser().parse_args(argv[1:])
    assert args.command == "sync"
    assert args.window is not None and args.wait
    service = read_unit(UNITS / "lecture-player-sync.service")
    assert service["Service"]["Type"] == "oneshot"
    assert int(service["Service"]["Nice"]) > 0
    assert service["Service"]["IOSchedulingClass"] == "idle"
    assert "network-online.target" in service["Unit"]["After"]
    timer = read_unit(UNITS / "lecture-player-sync.timer")["Timer"]
    assert timer["Persistent"] == "true"
    assert timer["RandomizedDelaySec"]
    hour = int(timer["OnCalendar"].split()[-1].split(":")[0])
    start, end = (int(t.split(":")[0]) for t in argv[argv.index("--window") + 1].split("-"))
    assert hour >= start or hour < end, "the timer fires outside the sync window"


def test_the_share_starts_with_the_machine_and_comes_back():
    argv = command(UNITS / "lecture-player-share.service")
    args = build_parser().parse_args(argv[1:])
    assert args.command == "serve" and args.bind == "0.0.0.0"
    unit = read_unit(UNITS / "lecture-player-share.service")
    assert unit["Service"]["Restart"] == "on-failure"
    assert "network-online.target" in unit["Unit"]["After"]
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_weekly_doctor_repairs_but_never_deletes_orphans():
    args = build_parser().parse_args(command(UNITS / "lecture-player-doctor.service")[1:])
    assert args.command == "doctor" and args.fix
    # Deleting files no lecture names is a step a person asks for, never a timer.
    assert not args.delete_orphans


@pytest.mark.parametrize("path", TIMERS, ids=lambda p: p.name)
def test_each_timer_has_its_service(path):
    assert path.with_suffix(".service").exists()
    assert read_unit(path)["Install"]["WantedBy"] == "timers.target"


def _verify(folder: Path, names: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["systemd-analyze", "verify", *names], capture_output=True, text=True, cwd=folder, timeout=60
    )


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_analyze_verify_finds_nothing(tmp_path):
    # The units name the installed program; point them at a stand-in that exists here.
    stand_in = tmp_path / "lecture-player"
    stand_in.write_text(f'#!/bin/sh\nexec {sys.executable} -m player "$@"\n')
    stand_in.chmod(0o755)
    probe = tmp_path / "probe.service"
    probe.write_text(f"[Service]\nType=oneshot\nExecStart={stand_in} --version\n")
    if _verify(tmp_path, ["./probe.service"]).returncode != 0:
        pytest.skip("systemd-analyze verify does not work here (no systemd to ask)")
    probe.unlink()
    for path in SERVICES + TIMERS:
        (tmp_path / path.name).write_text(path.read_text().replace(PROGRAM, str(stand_in)))
    done = _verify(tmp_path, [f"./{p.name}" for p in SERVICES + TIMERS])
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
