"""The core must work where Qt cannot even be imported."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import player

ROOT = Path(player.__file__).parent


def core_modules() -> list[str]:
    return [
        m.name
        for m in pkgutil.walk_packages([str(ROOT)], "player.")
        if not m.name.startswith("player.ui") and m.name != "player.__main__"
    ]


def test_core_imports_with_pyside6_blocked():
    code = (
        "import sys\n"
        "sys.modules['PySide6'] = None\n"
        "import importlib\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules if sys.modules[m] is not None)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_no_core_source_mentions_pyside6():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if "ui" in path.relative_to(ROOT).parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
                offenders.append(str(path))
    assert offenders == []
