#!/bin/sh
# Wrap the self-contained app (dist/lecture-player/, from packaging/build.sh) in a .deb:
#   /opt/lecture-player/…                 the app, untouched
#   /usr/bin/lecture-player               a launcher
#   /usr/share/applications/, metainfo/, mime/packages/, icons/hicolor/   desktop integration
# The result is dist/lecture-player_VERSION_ARCH.deb; install it with
#   sudo apt install ./dist/lecture-player_*.deb
# so that apt brings the Debian libraries the bundled Qt needs (Depends below).
# Desktop, MIME and icon caches are refreshed by dpkg's file triggers: no maintainer scripts.
set -eu

cd "$(dirname "$0")/.."
APP_ID=org.lectureplayer.LecturePlayer
python=${PYTHON:-.venv/bin/python}
[ -x "$python" ] || python=python3
version=$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=$(dpkg --print-architecture)
app=dist/lecture-player
[ -x "$app/lecture-player" ] || { echo "error: $app is missing; run packaging/build.sh first" >&2; exit 2; }

# What the bundled Qt needs from the system: OpenGL/EGL and DRM, and the Wayland client
# libraries, which it never carries (the check below fails the build if one is missing
# here); and sound (PulseAudio, which PipeWire also serves), the X11/xcb platform plugin's
# libraries, fonts and D-Bus, which PyInstaller copies into the bundle too, but a Debian
# package should get them from Debian. FFmpeg, ICU and Python come only from the bundle.
DEPENDS="libc6 (>= GLIBC_MIN), libegl1, libgl1, libdrm2, libwayland-client0, libwayland-cursor0, \
libwayland-egl1, libpulse0, libxcb-cursor0, libxkbcommon0, libxkbcommon-x11-0, libxcb-icccm4, \
libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xinerama0, \
libxcb-xkb1, libxcb1, libx11-6, libx11-xcb1, libfontconfig1, libfreetype6, libglib2.0-0, libdbus-1-3"

root=build/deb/root
rm -rf build/deb
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/metainfo" "$root/usr/share/mime/packages" "$root/usr/share/doc/lecture-player"
cp -a "$app" "$root/opt/lecture-player"

cat >"$root/usr/bin/lecture-player" <<'EOF'
#!/bin/sh
exec /opt/lecture-player/lecture-player "$@"
EOF
chmod 755 "$root/usr/bin/lecture-player"

desktop=resources/desktop
install -m 644 "$desktop/$APP_ID.desktop" "$root/usr/share/applications/$APP_ID.desktop"
install -m 644 "$desktop/$APP_ID.metainfo.xml" "$root/usr/share/metainfo/$APP_ID.metainfo.xml"
install -m 644 "$desktop/$APP_ID.mime.xml" "$root/usr/share/mime/packages/$APP_ID.xml"
icons="$root/usr/share/icons/hicolor"
install -D -m 644 resources/icons/lecture-player.svg "$icons/scalable/apps/$APP_ID.svg"
for png in resources/icons/lecture-player-*.png; do
    size=${png##*-}
    size=${size%.png}
    install -D -m 644 "$png" "$icons/${size}x${size}/apps/$APP_ID.png"
done
cat >"$root/usr/share/doc/lecture-player/copyright" <<'EOF'
Lecture Player is free software under the GNU General Public License, version 3 or later
(/usr/share/common-licenses/GPL-3). The bundled Qt, PySide6 and FFmpeg libraries are
under the LGPL version 3 (Qt, PySide6) and 2.1 or later (FFmpeg); Python under the PSF
License. Their licence texts are in /opt/lecture-player/_internal/.
EOF

# The newest glibc symbol version any bundled program or library asks for.
glibc_min=$(find "$root/opt" -type f \( -name '*.so*' -o -name lecture-player \) -exec objdump -T {} + 2>/dev/null |
    grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
depends=$(echo "$DEPENDS" | sed "s/GLIBC_MIN/${glibc_min:-2.28}/")

# Every library the bundle links to but does not carry comes from the system: find its
# Debian package and check that Depends names it (libc6 and the base system aside).
elves=build/deb/elves.txt
find "$root/opt" -type f \( -name '*.so*' -o -name lecture-player \) >"$elves"
xargs readelf -d <"$elves" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u >build/deb/needed.txt
find "$root/opt" -name '*.so*' -printf '%f\n' | sort -u >build/deb/bundled.txt
comm -23 build/deb/needed.txt build/deb/bundled.txt | while read -r soname; do
    path=$(/sbin/ldconfig -p | awk -v s="$soname" '$1 == s {print $NF; exit}')
    if [ -z "$path" ]; then
        # Not on this machine: Debian names the package after the soname (libfoo.so.1 -> libfoo1).
        base=${soname%%.so.*}
        case $base in *[0-9]) guess="$base-${soname##*.so.}" ;; *) guess="$base${soname##*.so.}" ;; esac
        guess=$(echo "$guess" | tr '[:upper:]_' '[:lower:]-')
        case ", $DEPENDS," in *", $guess,"*) echo "$guess" ;; *) echo "missing:$soname" ;; esac
        continue
    fi
    pkg=$(dpkg -S "$path" "/usr$path" 2>/dev/null | head -n 1 | cut -d: -f1) || true
    echo "${pkg:-unknown:$soname}"
done | sort -u >build/deb/system.txt
uncovered=$(while read -r pkg; do
    case ", $DEPENDS," in *", $pkg,"* | *", $pkg ("*) continue ;; esac
    [ "$(dpkg-query -W -f='${Essential}' "$pkg" 2>/dev/null)" = yes ] && continue
    echo "$pkg"
done <build/deb/system.txt)
if [ -n "$uncovered" ]; then
    echo "error: the bundle links to system libraries that Depends does not name:" $uncovered >&2
    echo "Add their packages to DEPENDS in $0, or drop what links to them in the spec." >&2
    exit 1
fi

installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: lecture-player
Version: $version
Architecture: $arch
Maintainer: The Lecture Player project <maintainers@lecture-player.invalid>
Installed-Size: $installed_kb
Depends: $depends
Section: education
Priority: optional
Description: keep public video lectures offline and play them
 Lecture Player brings public video lectures to places with little or no
 internet: it keeps lecture series from signed catalogs in a local library,
 plays them offline with subtitles and chapters, and remembers how far each
 person got. It carries its own Python, Qt and FFmpeg, so it works on a
 machine with no network and no Python.
 .
 Check a machine after installing with: lecture-player --self-test
EOF

deb="dist/lecture-player_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb: $(du -h "$deb" | cut -f1), $((installed_kb / 1024)) MB installed"
echo "from the system (Depends): $(tr '\n' ' ' <build/deb/system.txt)"
