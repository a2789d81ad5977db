#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-install.py BUILDDIR PREFIX BINDIR DATADIR SYSTEMD-USER-UNIT-DIR
#
# `meson install --destdir` into a temporary directory, then the desktop
# integration is where desktops, the bus and systemd look for it, and
# each file names what is installed beside it: the desktop entry and the
# metainfo name the application icon, the D-Bus activation file and the
# systemd units run binaries that are installed, the interface XML is
# the interface the library exports. The directories come from the
# build's options, so a change of prefix or layout is tested as built.

import configparser
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

APP_ID = "io.github.healthmonitor.Applet"

n_checks = 0
n_failed = 0


def check(ok, name, detail=None):
    global n_checks, n_failed
    n_checks += 1
    n_failed += 0 if ok else 1
    print(f"{'ok' if ok else 'not ok'} {n_checks} - {name}", flush=True)
    if not ok and detail:
        for line in str(detail).splitlines()[:40]:
            print(f"# {line}", flush=True)
    return ok


def read_ini(path, section):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(path)
    return dict(parser[section]) if parser.has_section(section) else {}


def main():
    builddir, prefix, bindir, datadir, unitdir = sys.argv[1:6]
    bindir = os.path.join(prefix, bindir)
    datadir = os.path.join(prefix, datadir)
    unitdir = os.path.join(prefix, unitdir)

    with tempfile.TemporaryDirectory() as destdir:
        def root(path):
            return destdir + path

        def exists(path, name=None):
            return check(os.path.isfile(root(path)), name or f"{path} is installed")

        result = subprocess.run(["timeout", "120", "meson", "install", "-C", builddir,
                                 "--no-rebuild", "--quiet", "--destdir", destdir],
                                capture_output=True, text=True)
        if not check(result.returncode == 0, "meson install --destdir succeeds",
                     result.stdout + result.stderr):
            print(f"1..{n_checks}", flush=True)
            sys.exit(1)

        # The application icon, full colour, named after the app id.
        icon = os.path.join(datadir, "icons", "hicolor", "scalable", "apps", APP_ID + ".svg")
        if exists(icon, "the application icon is in hicolor/scalable/apps"):
            svg = ET.parse(root(icon)).getroot()
            check(svg.tag == "{http://www.w3.org/2000/svg}svg" and
                  svg.get("viewBox") == "0 0 128 128",
                  "it is an SVG on the 128 px grid", svg.attrib)
        for status in ("good", "critical"):
            exists(os.path.join(datadir, "icons", "hicolor", "scalable", "status",
                                f"health-{status}-symbolic.svg"))

        # The desktop entries and the metainfo point at it.
        desktop = os.path.join(datadir, "applications", APP_ID + ".desktop")
        if exists(desktop):
            entry = read_ini(root(desktop), "Desktop Entry")
            check(entry.get("Icon") == APP_ID, "the desktop entry's Icon is the app icon", entry)
            check(os.path.isfile(root(os.path.join(bindir, entry.get("Exec", "-").split()[0]))),
                  "and its Exec is installed in bindir", entry.get("Exec"))
        metainfo = os.path.join(datadir, "metainfo", APP_ID + ".metainfo.xml")
        if exists(metainfo):
            component = ET.parse(root(metainfo)).getroot()
            icons = [(i.get("type"), i.text) for i in component.findall("icon")]
            check(icons == [("stock", APP_ID)], "the metainfo's icon is the app icon", icons)
            check(component.findtext("launchable") == APP_ID + ".desktop",
                  "the metainfo launches the installed desktop entry")

        # D-Bus: the activation file starts the installed applet in
        # GApplication's service mode; the interface description.
        service = os.path.join(datadir, "dbus-1", "services", APP_ID + ".service")
        if exists(service, "the D-Bus activation file is in dbus-1/services"):
            entry = read_ini(root(service), "D-BUS Service")
            check(entry.get("Name") == APP_ID, "it names the applet's bus name", entry)
            check(entry.get("Exec") ==
                  os.path.join(bindir, "health-applet") + " --gapplication-service",
                  "it runs the installed health-applet --gapplication-service", entry)
            check(os.access(root(os.path.join(bindir, "health-applet")), os.X_OK),
                  "which is installed and executable")
        interface = os.path.join(datadir, "dbus-1", "interfaces",
                                 "io.github.healthmonitor.Monitor1.xml")
        if exists(interface, "the D-Bus interface is in dbus-1/interfaces"):
            names = [i.get("name") for i in ET.parse(root(interface)).getroot().iter("interface")]
            check(names == ["io.github.healthmonitor.Monitor1"],
                  "it describes io.github.healthmonitor.Monitor1", names)

        # systemd user units run the installed health-monitor.
        cli = os.path.join(bindir, "health-monitor")
        check(os.access(root(cli), os.X_OK), f"{cli} is installed and executable")
        for name in ("health-monitor-serve.service", "health-monitor-export.service"):
            unit = os.path.join(unitdir, name)
            if exists(unit, f"{name} is in the systemd user unit directory"):
                with open(root(unit)) as f:
                    execs = [line.split("=", 1)[1].split()[0] for line in f
                             if line.startswith("ExecStart=")]
                check(execs == [cli], f"{name} runs {cli}", execs)
        exists(os.path.join(unitdir, "health-monitor-export.timer"),
               "health-monitor-export.timer is beside its service")

        exists(os.path.join(datadir, "health-monitor", "prometheus", "health.rules.yml"))

        # GNOME Shell's indicator, where the shell looks for system-wide
        # extensions, in a directory named after its uuid; it finds
        # libhealth through the typelib, so it ships only with that.
        typelibs = [os.path.join(dirpath, f) for dirpath, _, files in os.walk(destdir)
                    for f in files if f == "Health-1.typelib"]
        uuid = "health-monitor@healthmonitor.github.io"
        ext = os.path.join(datadir, "gnome-shell", "extensions", uuid)
        if typelibs:
            check(any("/girepository-1.0/" in t for t in typelibs),
                  "Health-1.typelib is in a girepository-1.0 directory", typelibs)
            for name in ("metadata.json", "extension.js", "stylesheet.css"):
                exists(os.path.join(ext, name))
            if os.path.isfile(root(os.path.join(ext, "metadata.json"))):
                with open(root(os.path.join(ext, "metadata.json"))) as f:
                    meta = json.load(f)
                check(meta.get("uuid") == uuid and "43" in meta.get("shell-version", []),
                      "its metadata names its uuid and GNOME Shell 43", meta)
        else:
            check(not os.path.exists(root(ext)),
                  "without introspection, no GNOME Shell extension is installed")

    print(f"1..{n_checks}", flush=True)
    sys.exit(1 if n_failed or n_checks == 0 else 0)


if __name__ == "__main__":
    main()
