"""`lecture-player --self-test`: check that this install works, headless, in a few seconds.

It is how a study centre checks a machine it has just set up, and how CI checks the
packaged app: a temporary library, the built-in sample imported into it, one second of
a sample lecture played through Qt, the translations, the catalog schema and the
sample's signature. Each check prints one line; a broken one says what to do.
This module stays free of Qt; the checks that need Qt live in `player.ui.selftest`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from player.errors import EXIT_INCOMPLETE, EXIT_OK

REINSTALL = "Reinstall Lecture Player from its package; the installed files are incomplete or damaged."


class CheckFailed(Exception):
    """A check's finding: what is broken, then what to do."""


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    detail: str
    seconds: float


def check_schema() -> str:
    """The catalog schema ships and accepts the sample's catalog."""
    from player.catalog.parse import schema_problems
    from player.resources import resource_path

    schema = resource_path("schema", "lecture-catalog-1.schema.json")
    if not schema.is_file():
        raise CheckFailed(f"The catalog schema {schema} is missing. {REINSTALL}")
    raw = _sample_catalog()
    problems = schema_problems(raw)
    if problems:
        where, what = problems[0]
        raise CheckFailed(f"The sample catalog does not match the schema at {where}: {what}. {REINSTALL}")
    return schema.name


def check_signature() -> str:
    """The sample's catalog is signed by the key that ships beside it."""
    from player.catalog.signing import parse_public_key, verify
    from player.errors import PlayerError
    from player.resources import resource_path

    raw = _sample_catalog()
    sig = resource_path("sample", "catalog.json.sig")
    pub = resource_path("sample.pub")
    for needed in (sig, pub):
        if not needed.is_file():
            raise CheckFailed(f"{needed} is missing. {REINSTALL}")
    try:
        verify(raw, sig.read_bytes(), parse_public_key(pub.read_text()))
    except PlayerError as exc:
        raise CheckFailed(f"{exc} {REINSTALL}") from None
    return "valid"


def check_library(folder: Path) -> Path:
    """Open a new library in `folder`, import the sample into it; return a lecture's video."""
    from player.library import queries
    from player.library.db import open_library
    from player.sample import install_sample

    try:
        lib = open_library(folder, install_sample=False)
    except Exception as exc:  # any failure here is the finding, whatever its type
        raise CheckFailed(
            f"A new library cannot be created in {folder}: {exc}. "
            "Check that the temporary folder ($TMPDIR) is writable and has free space."
        ) from None
    with lib:
        if install_sample(lib) is None:
            raise CheckFailed(
                f"The built-in sample could not be imported (see the warning above). {REINSTALL}"
            )
        for series in queries.list_series(lib):
            for lecture in queries.list_lectures(lib, series.pk):
                for media in queries.lecture_media(lib, lecture.pk):
                    path = lib.paths.media_file(media.sha256, media.ext)
                    if media.role == "video" and path.is_file():
                        return path
    raise CheckFailed(f"The sample was imported but none of its videos reached the library. {REINSTALL}")


def _sample_catalog() -> bytes:
    from player.resources import resource_path

    path = resource_path("sample", "catalog.json")
    if not path.is_file():
        raise CheckFailed(f"The built-in sample {path} is missing. {REINSTALL}")
    return path.read_bytes()


def _run(name: str, fn: Callable[[], object]) -> tuple[Outcome, object]:
    start = time.perf_counter()
    try:
        value = fn()
        outcome = Outcome(name, True, value if isinstance(value, str) else "", time.perf_counter() - start)
    except CheckFailed as exc:
        value = None
        outcome = Outcome(name, False, str(exc), time.perf_counter() - start)
    except Exception as exc:  # a self-test reports every failure; it never crashes
        value = None
        outcome = Outcome(
            name, False, f"Unexpected {type(exc).__name__}: {exc}. {REINSTALL}", time.perf_counter() - start
        )
    return outcome, value


def _headless() -> None:
    # Qt's multimedia log lines (no PipeWire, no VA-API, no audio device) are not findings.
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")
    # With no display, run on Qt's offscreen platform rather than failing to connect to one.
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    """`lecture-player --self-test`: run it, then end the process at once (never returns).

    The playback check leaves Qt's media threads running; stopping them, or letting Python
    tear Qt down at exit, can deadlock on the interpreter lock (see player.ui.player).
    Everything the test made is already deleted, so the process just ends.
    """
    code = run_self_test()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
    return code  # not reached


def run_self_test(out=None) -> int:
    """Run every check, print one line each; exit status 0 when all pass, 1 otherwise."""
    out = out or sys.stdout
    started = time.perf_counter()
    _headless()
    # The core's checks are Python and SQLite; Qt's start-up is mostly loading libraries.
    # Running the two side by side keeps the whole test within a few seconds.
    core: list[Outcome] = []
    video: list[Path] = []
    library_done = threading.Event()

    def core_checks(folder: Path) -> None:
        outcome, found = _run("library and sample import", lambda: check_library(folder))
        core.append(outcome)
        if isinstance(found, Path):
            video.append(found)
        library_done.set()
        core.append(_run("sample signature", check_signature)[0])
        core.append(_run("catalog schema", check_schema)[0])

    qt_outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="lecture-player-selftest-", ignore_cleanup_errors=True) as tmp:
        worker = threading.Thread(target=core_checks, args=(Path(tmp) / "library",), daemon=True)
        worker.start()
        qt, ui = _run("Qt", _import_ui_checks)
        if not qt.ok:
            qt_outcomes.append(qt)
        else:
            qt_outcomes.append(_run("translations", ui.check_translations)[0])
            player_ready, player = _run("playback", ui.new_player)
            library_done.wait()
            if not player_ready.ok:
                qt_outcomes.append(player_ready)
            elif video:
                played = _run("playback", lambda: ui.check_playback(player, video[0]))[0]
                qt_outcomes.append(replace(played, seconds=played.seconds + player_ready.seconds))
            else:
                qt_outcomes.append(
                    Outcome("playback", False, "Skipped: there is no sample video to play.", 0.0)
                )
        worker.join()
    outcomes = core + qt_outcomes
    for o in outcomes:
        mark = "ok  " if o.ok else "FAIL"
        detail = f" {o.detail}" if o.ok and o.detail else ""
        print(f"{mark} {o.name}{detail} ({o.seconds:.2f} s)", file=out)
        if not o.ok:
            print(f"     {o.detail}", file=out)
    failed = [o for o in outcomes if not o.ok]
    total = time.perf_counter() - started
    if failed:
        print(f"lecture-player: {len(failed)} of {len(outcomes)} checks failed ({total:.1f} s).", file=out)
        return EXIT_INCOMPLETE
    print(f"lecture-player: all {len(outcomes)} checks passed ({total:.1f} s).", file=out)
    return EXIT_OK


def _import_ui_checks():
    try:
        from player.ui import selftest
    except ImportError as exc:
        raise CheckFailed(
            f"Qt cannot be loaded: {exc}. On Debian, install the app with "
            "`apt install ./lecture-player_*.deb` so that the system libraries it needs come with it."
        ) from None
    return selftest
