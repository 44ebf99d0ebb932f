#!/bin/sh
# Refresh the translation sources from the GUI code, then build the .qm files the app loads.
# English is the source language; its file only carries plural forms ("1 lecture", "2 lectures").
# Uses pyside6-lupdate/pyside6-lrelease from PATH, or from $PYSIDE6_BIN if set.
set -eu

cd "$(dirname "$0")/.."
bin=${PYSIDE6_BIN:+$PYSIDE6_BIN/}
sources=$(ls player/ui/*.py)

for ts in resources/translations/lecture-player_*.ts; do
    case "$ts" in
        *_en.ts) only=-pluralonly ;;
        *) only= ;;
    esac
    # shellcheck disable=SC2086 # $sources and $only are word lists
    "${bin}pyside6-lupdate" -no-obsolete $only -locations relative $sources -ts "$ts"
    "${bin}pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
done
