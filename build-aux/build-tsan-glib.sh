#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# GLib built with ThreadSanitizer, for the tsan part of hardening.sh.
#
# An uninstrumented GLib hides every happens-before edge GTask, GMutex,
# GCond and GAsyncQueue create (they are futexes and atomics TSan never
# sees), so TSan reports each hand-over between our main context and a
# worker. Built with -fsanitize=thread, GLib's own atomics are visible and
# the reports that remain are real.
#
# Debian's source of the installed version (apt-get source glib2.0, with
# Debian's patches) is built once into a cache and installed into a
# prefix there; a stamp records what was built, so later runs reuse it
# and a new Debian version, or a change to the options below, rebuilds.
#
# Usage: build-aux/build-tsan-glib.sh
#   Prints the install prefix on stdout (libraries in PREFIX/lib); the
#   progress goes to stderr, the meson and ninja output to logs in the
#   cache. Needs root, or sudo, the first time: it adds a deb-src entry
#   and installs the build dependencies if they are missing.
#
# Environment:
#   HARDENING_GLIB_TSAN_DIR  the cache, default
#                            ${XDG_CACHE_HOME:-$HOME/.cache}/health-monitor/glib-tsan
#   HARDENING_JOBS           ninja's parallelism, default 2
set -euo pipefail

cache=${HARDENING_GLIB_TSAN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/health-monitor/glib-tsan}
jobs=${HARDENING_JOBS:-2}

# Everything that decides what the prefix holds; part of the stamp.
# debugoptimized: -O2 -g, the frames TSan's reports need.
# glib_debug disabled, as Debian builds it: no extra checks of ours or
# GLib's that the real library does not make.
# No tests, docs, man pages, dtrace, sysprof: nothing of it is used.
# nls stays on: g_dgettext() would not translate otherwise.
meson_options=(
  --buildtype=debugoptimized
  --libdir=lib
  -Db_sanitize=thread
  -Db_lundef=false
  -Dc_args=-fno-omit-frame-pointer
  -Dglib_debug=disabled
  -Dtests=false
  -Dinstalled_tests=false
  -Dgtk_doc=false
  -Dman=false
  -Ddtrace=false
  -Dsystemtap=false
  -Dsysprof=disabled
  -Dlibelf=disabled
  -Dselinux=disabled
)

note () {
  echo "build-tsan-glib: $*" >&2
}

if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
else
  sudo=
fi

ensure_packages () {
  local missing=() p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  note "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# apt-get source needs a deb-src entry, which Debian's images lack. Add
# one, in a file of its own, for the archive and release the binary
# packages already come from; never edit debian.sources.
ensure_deb_src () {
  [ -n "$(apt-cache showsrc glib2.0 2>/dev/null)" ] && return 0

  local codename uri list=/etc/apt/sources.list.d/health-monitor-deb-src.sources
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || { note "no VERSION_CODENAME in /etc/os-release"; return 1; }
  uri=$(apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 'Created-By: Packages' \
          | awk -v s="$codename" '$1 == s { print $2; exit }')
  uri=${uri:-http://deb.debian.org/debian/}

  if [ ! -f "$list" ]; then
    note "adding deb-src $uri $codename main ($list)"
    {
      echo "# Added by health-monitor's build-aux/build-tsan-glib.sh: apt-get source glib2.0."
      echo "Types: deb-src"
      echo "URIs: $uri"
      echo "Suites: $codename"
      echo "Components: main"
      if [ -f /usr/share/keyrings/debian-archive-keyring.gpg ]; then
        echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
      fi
    } | $sudo tee "$list" >/dev/null
  fi
  $sudo apt-get update -qq
  [ -n "$(apt-cache showsrc glib2.0 2>/dev/null)" ] \
    || { note "apt-cache showsrc glib2.0 is still empty after adding $list"; return 1; }
}

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
# It empties src, build and prefix in there.
[ "$cache" != / ] || { note "HARDENING_GLIB_TSAN_DIR must not be /"; exit 1; }
prefix=$cache/prefix
stamp=$prefix/.health-monitor-stamp

# Two hardening runs at once build it once.
exec 9>"$cache/.lock"
flock 9

# The installed GLib's version: the headers and libraries the TSan build
# replaces are then the same source, patch for patch.
version=$(dpkg-query -W -f='${source:Version}' libglib2.0-0 2>/dev/null || true)
wanted="glib2.0 ${version:-candidate} $(gcc -dumpfullversion) ${meson_options[*]}"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "$prefix"
  exit 0
fi

start=$(date +%s)
note "building GLib with ThreadSanitizer in $cache (once; some minutes)"

# Build dependencies: those of libglib2.0-dev (ffi, pcre2, zlib, mount,
# which install-deps has already) and dpkg-source to unpack.
ensure_packages dpkg-dev gcc meson ninja-build pkg-config python3 gettext \
  libffi-dev libpcre2-dev zlib1g-dev libmount-dev
ensure_deb_src

rm -rf "$cache/src" "$cache/build" "$prefix"
mkdir -p "$cache/src"
(
  cd "$cache/src"
  if [ -z "$version" ] || ! apt-get source -qq "glib2.0=$version" >"$cache/source.log" 2>&1; then
    note "glib2.0 $version has no source package; taking the candidate's"
    apt-get source -qq glib2.0 >"$cache/source.log" 2>&1
  fi
) || { cat "$cache/source.log" >&2; exit 1; }

srcdir=$(find "$cache/src" -mindepth 1 -maxdepth 1 -type d -name 'glib2.0-*' | head -n 1)
[ -n "$srcdir" ] || { note "apt-get source left no glib2.0-* directory"; exit 1; }
note "source: $(basename "$srcdir") ($(grep -m1 -o '^glib2.0 ([^)]*)' "$srcdir/debian/changelog"))"

# What a caller set up to use a previous build of this prefix must not
# reach the build that replaces it.
unset TSAN_OPTIONS LD_LIBRARY_PATH

meson setup "$cache/build" "$srcdir" --prefix="$prefix" "${meson_options[@]}" \
  >"$cache/setup.log" 2>&1 || { tail -n 40 "$cache/setup.log" >&2; exit 1; }
ninja -C "$cache/build" -j "$jobs" >"$cache/build.log" 2>&1 \
  || { tail -n 40 "$cache/build.log" >&2; exit 1; }
meson install -C "$cache/build" --no-rebuild >"$cache/install.log" 2>&1 \
  || { tail -n 40 "$cache/install.log" >&2; exit 1; }

# Only the prefix (some 30 MB) is needed from now on.
rm -rf "$cache/src" "$cache/build"

echo "$wanted" >"$stamp"
note "built in $(( $(date +%s) - start )) s"
echo "$prefix"
