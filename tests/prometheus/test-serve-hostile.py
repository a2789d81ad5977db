#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-serve-hostile.py HEALTH-MONITOR
#
# Every error path of `health-monitor serve`'s request handling, on
# loopback, with the server run under G_DEBUG=fatal-warnings,
# fatal-criticals so that a GLib warning is a failure: connections reset
# (SO_LINGER {1, 0}) right after connecting, after part of a request,
# after all of it and while the answer is on its way. Each must end in a
# closed connection, never a crash, and /metrics must answer afterwards.

import os
import socket
import struct
import sys
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promtest as t  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
ENV = t.environment(HEALTH_PROC_ROOT=t.PROC_MEMORY95,
                    G_DEBUG="fatal-warnings,fatal-criticals")
TIMEOUT_S = 2

REQUEST = b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def connect(serve):
    return socket.create_connection((serve.host, serve.port), timeout=5)


def reset(s):
    """Closes `s` with an RST rather than a FIN."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def exchange(serve, data, seconds=5):
    """Sends `data` and returns what comes back until the server closes."""
    received = b""
    try:
        s = connect(serve)
    except OSError:
        return received
    s.settimeout(seconds)
    try:
        s.sendall(data)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            received += chunk
    except (socket.timeout, ConnectionResetError, BrokenPipeError):
        pass
    finally:
        s.close()
    return received


def status_of(response):
    """The HTTP status of a response, or None when there was none."""
    if not response.startswith(b"HTTP/1."):
        return None
    try:
        return int(response.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


def alive(serve, what):
    """/metrics still answers, and the server still runs."""
    try:
        status, _, body = serve.request(timeout=5)
        ok = status == 200 and "health_memory_usage_ratio" in body
    except OSError as e:
        ok, status = False, e
    return t.check(ok and serve.process.poll() is None,
                   f"/metrics answers after {what}", f"status {status}, exit {serve.process.poll()}")


def resets(serve):
    for n in range(50):
        reset(connect(serve))
    alive(serve, "50 connections reset at once")

    for n in range(50):
        s = connect(serve)
        time.sleep(0.002 * (n % 5))
        reset(s)
    alive(serve, "50 connections reset just after they were accepted")

    for part in (REQUEST[:1], REQUEST[:10], REQUEST[:-2], REQUEST):
        for n in range(10):
            s = connect(serve)
            s.sendall(part)
            reset(s)
    alive(serve, "connections reset after part and all of a request")

    # The answer is large enough to need several writes on a small buffer.
    for n in range(20):
        s = connect(serve)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        s.sendall(REQUEST)
        time.sleep(0.01)
        reset(s)
    alive(serve, "connections reset while the answer was on its way")

    for n in range(20):
        s = connect(serve)
        s.sendall(b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b"x" * 50)
        reset(s)
    alive(serve, "connections reset in the middle of a body")


def main():
    serve = t.Serve(CLI, "--interval", "200", "--timeout", str(TIMEOUT_S), env=ENV)
    serve.wait_for_metrics()

    for phase in (resets,):
        try:
            phase(serve)
        except OSError as e:
            t.check(False, f"{phase.__name__}: no error on the client's side", e)
        if serve.process.poll() is not None:
            break

    status = serve.stop()
    t.check(status == 0, "serve exits 0 on SIGTERM after all that", serve.stderr)
    t.check("WARNING" not in serve.stderr and "CRITICAL" not in serve.stderr,
            "and has logged no warning", serve.stderr)
    t.finish()


if __name__ == "__main__":
    main()
