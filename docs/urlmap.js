// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Where gi-docgen sends links to types of other namespaces. The relative
// entries assume the references are installed side by side in
// $datadir/doc, as docs/meson.build does.
baseURLs = [
    [ 'GLib', 'https://docs.gtk.org/glib/' ],
    [ 'GObject', 'https://docs.gtk.org/gobject/' ],
    [ 'Gio', 'https://docs.gtk.org/gio/' ],
    [ 'Gdk', 'https://docs.gtk.org/gdk4/' ],
    [ 'Gsk', 'https://docs.gtk.org/gsk4/' ],
    [ 'Gtk', 'https://docs.gtk.org/gtk4/' ],
    [ 'Health', '../health-1/' ],
    [ 'HealthGtk', '../health-gtk-1/' ],
]
