#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-export.py HEALTH-MONITOR
#
# `health-monitor export --textfile PATH`: what it writes, that it
# replaces atomically (no temporary file left, the old file replaced
# whole, its mode kept), and what it refuses with exit status 2: a
# directory, a symbolic link (whose target stays untouched), a path that
# is not writable, a missing directory, something that is not a file.

import os
import stat
import sys
import tempfile

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promtest as t  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
PROMTOOL = t.require("promtool")
ENV = t.environment(HEALTH_PROC_ROOT=t.PROC_MEMORY95)


def export(path, *args):
    # A strict umask, as in a hardened cron job: the file must still be
    # readable by node_exporter.
    return t.run([CLI, "export", "--textfile", path] + list(args), env=ENV,
                 preexec_fn=lambda: os.umask(0o077))


def refused(result, name, words):
    ok = (result.returncode == 2 and result.stdout == "" and
          all(w in result.stderr for w in words))
    t.check(ok, f"refused with exit 2: {name}",
            f"status {result.returncode}\nstdout {result.stdout!r}\nstderr {result.stderr!r}")


def listing(directory):
    return sorted(os.listdir(directory))


def ro_mount_available():
    """Whether a read-only tmpfs can be mounted in a user namespace."""
    result = t.run(["unshare", "-rm", "sh", "-c",
                    "d=$(mktemp -d) && mount -t tmpfs -o ro none \"$d\""], seconds=10)
    return result.returncode == 0


def main():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "health.prom")

        # A new file: written, readable by node_exporter, nothing left over.
        result = export(path)
        t.check(result.returncode == 0 and result.stdout == "" and result.stderr == "",
                "a new file is written quietly", result.stderr)
        t.check(listing(tmp) == ["health.prom"], "no temporary file left", listing(tmp))
        mode = stat.S_IMODE(os.stat(path).st_mode)
        t.check(mode == 0o644, "a new file is 0644 whatever the umask", oct(mode))
        with open(path) as f:
            text = f.read()
        check = t.run([PROMTOOL, "check", "metrics"], input=text)
        t.check(check.returncode == 0, "promtool accepts the text file",
                check.stdout + check.stderr)
        t.check("health_memory_usage_ratio{" in text and text.endswith("\n"),
                "the text file holds the metrics")

        # Replacing: a new inode renamed over the old one, mode kept.
        os.chmod(path, 0o640)
        with open(path, "w") as f:
            f.write("old\n")
        old_inode = os.stat(path).st_ino
        with open(path) as held:
            result = export(path)
            t.check(result.returncode == 0, "an existing file is replaced", result.stderr)
            t.check(held.read() == "old\n",
                    "a reader of the old file still reads it whole (rename, not rewrite)")
        t.check(os.stat(path).st_ino != old_inode, "the file is a new one (atomic rename)")
        t.check(stat.S_IMODE(os.stat(path).st_mode) == 0o640, "its mode is kept")
        t.check(listing(tmp) == ["health.prom"], "still no temporary file", listing(tmp))

        # Not *.prom: written, with a warning.
        other = os.path.join(tmp, "health.txt")
        result = export(other)
        t.check(result.returncode == 0 and "*.prom" in result.stderr,
                "a name without .prom warns", result.stderr)
        os.unlink(other)

        # A directory.
        result = export(tmp)
        refused(result, "a directory", ["is a directory"])

        # A symbolic link, to a file and dangling: the target is untouched.
        target = os.path.join(tmp, "target.prom")
        with open(target, "w") as f:
            f.write("precious\n")
        link = os.path.join(tmp, "link.prom")
        os.symlink(target, link)
        result = export(link)
        refused(result, "a symbolic link", ["symbolic link"])
        with open(target) as f:
            t.check(f.read() == "precious\n", "the link's target is untouched")
        t.check(os.path.islink(link), "the link is still a link")
        dangling = os.path.join(tmp, "dangling.prom")
        os.symlink(os.path.join(tmp, "nowhere.prom"), dangling)
        refused(export(dangling), "a dangling symbolic link", ["symbolic link"])
        t.check(not os.path.exists(os.path.join(tmp, "nowhere.prom")),
                "nothing is created through a dangling link")

        # A missing directory, and a path through a file.
        refused(export(os.path.join(tmp, "missing", "health.prom")),
                "a missing directory", ["No such file or directory"])
        refused(export(os.path.join(path, "health.prom")),
                "a path through a file", ["Not a directory"])

        # Not a regular file.
        fifo = os.path.join(tmp, "fifo.prom")
        os.mkfifo(fifo)
        refused(export(fifo), "a FIFO", ["not a regular file"])

        # An empty path.
        refused(export(""), "an empty path", ["empty"])

        # Not writable. root writes anywhere the file system allows, so
        # that case needs a read-only file system.
        refused(export("/proc/health-monitor-test.prom"), "a directory nobody can write in",
                ["/proc"])
        if os.geteuid() != 0:
            locked = os.path.join(tmp, "locked")
            os.mkdir(locked, 0o555)
            refused(export(os.path.join(locked, "health.prom")),
                    "a directory without write permission", ["Permission denied"])
            with open(os.path.join(tmp, "readonly.prom"), "w"):
                pass
            os.chmod(os.path.join(tmp, "readonly.prom"), 0o444)
            refused(export(os.path.join(tmp, "readonly.prom")),
                    "a read-only file", ["not writable"])
            os.chmod(locked, 0o755)
        if ro_mount_available():
            script = ('d=$(mktemp -d) && echo old > "$d/health.prom" && '
                      'mount -t tmpfs -o ro none "$d" && '
                      'exec "$0" export --textfile "$d/health.prom"')
            result = t.run(["unshare", "-rm", "sh", "-c", script, CLI], env=ENV)
            refused(result, "a read-only file system", ["Read-only file system"])
        else:
            t.note("no user namespaces: read-only file system case not run")

        # The command line.
        result = t.run([CLI, "export", "--textfile"], env=ENV)
        t.check(result.returncode == 2, "--textfile without a path is a usage error")
        result = t.run([CLI, "export", "extra"], env=ENV)
        t.check(result.returncode == 2, "a stray argument is a usage error")

    t.finish()


if __name__ == "__main__":
    main()
