#!/bin/sh
# Build the self-contained app (dist/lecture-player/) and pack it as
# dist/lecture-player-VERSION-linux-ARCH.tar.gz. Needs the project's venv with the
# `package` extra: `.venv/bin/pip install -e '.[package]'` (or PYTHON=… pointing at one).
# Takes a few minutes; a second run reuses PyInstaller's cache in build/pyinstaller/.
set -eu

cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
version=$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=$(uname -m)

"$python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/lecture-player.spec

tarball="dist/lecture-player-$version-linux-$arch.tar.gz"
tar -C dist -czf "$tarball" lecture-player
echo "$tarball: $(du -h "$tarball" | cut -f1) compressed, $(du -sh dist/lecture-player | cut -f1) unpacked"
