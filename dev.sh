#!/usr/bin/env bash
# Set up a development machine (Debian packages, a Python venv) and run the app or the tests.
#
#   ./dev.sh run [ARGS…]    set up, then start the app (on its built-in sample library the first time)
#   ./dev.sh test [ARGS…]   set up, then run the whole test suite headless (ARGS go to pytest)
#   ./dev.sh screenshots    set up, then remake docs/screenshots under Xvfb
#   ./dev.sh setup          only set up
#
# Setup is idempotent and quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")"

DEBIAN_PACKAGES=(
  python3-venv
  # QtMultimedia will not even import without PulseAudio's client library.
  libpulse0
  # The Qt xcb platform plugin, for a real window (and Xvfb for screenshots).
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libegl1 libgl1 libfontconfig1
  libdbus-1-3 xvfb
  # Chinese text.
  fonts-noto-cjk
  # Real HTTP hosts and baselines for tests and benchmarks.
  nginx-light curl aria2
)

install_debian_packages() {
  command -v dpkg-query >/dev/null || return 0
  local missing=()
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_venv() {
  local python=${PYTHON:-python3}
  if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
  fi
  # Reinstall only when the project's dependencies changed.
  local stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
  if [ ! -e "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[test]'
    rm -f .venv/.installed-* && touch "$stamp"
  fi
}

setup() {
  install_debian_packages
  setup_venv
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
  setup) setup ;;
  run)
    setup
    exec .venv/bin/lecture-player "$@"
    ;;
  test)
    setup
    export QT_QPA_PLATFORM=offscreen
    exec .venv/bin/python -m pytest "$@"
    ;;
  screenshots)
    setup
    exec xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m tests.screenshots docs/screenshots
    ;;
  *)
    echo "usage: ./dev.sh run|test|screenshots|setup" >&2
    exit 2
    ;;
esac
