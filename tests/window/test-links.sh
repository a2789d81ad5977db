#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-links.sh APPLET LIBHEALTH_GTK WINDOW: what links what. The resident
# applet never loads GTK or libadwaita (its footprint), libhealth-gtk-1
# stays plain GTK 4 (any GTK app embeds it), and only the window uses
# libadwaita.
set -eu

needed () {
  readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}

status=0
if needed "$1" | grep -E '^lib(gtk|adwaita)'; then
  echo "not ok - health-applet links the libraries above"
  status=1
else
  echo "ok - health-applet links neither GTK nor libadwaita"
fi
if needed "$2" | grep -E '^libadwaita'; then
  echo "not ok - libhealth-gtk-1 links libadwaita"
  status=1
else
  echo "ok - libhealth-gtk-1 does not link libadwaita"
fi
if needed "$3" | grep -q -E '^libadwaita-1\.so'; then
  echo "ok - health-applet-window links libadwaita"
else
  echo "not ok - health-applet-window does not link libadwaita"
  status=1
fi
exit $status
