#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-serve-hostile.py HEALTH-MONITOR
#
# Every error path of `health-monitor serve`'s request handling, on
# loopback, with the server run under G_DEBUG=fatal-warnings,
# fatal-criticals so that a GLib warning is a failure: connections reset
# (SO_LINGER {1, 0}) right after connecting, after part of a request,
# after all of it and while the answer is on its way; Content-Length
# negative, beyond 2^63, not a number, repeated or contradicting itself;
# chunked bodies, huge and many headers, a slow loris. Each must end in
# a clean 4xx or a closed connection, never a crash, and /metrics must
# answer afterwards.

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
    """Sends `data`, then an end of file, and returns what comes back until
    the server closes."""
    received = b""
    try:
        s = connect(serve)
    except OSError:
        return received
    s.settimeout(seconds)
    try:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            received += chunk
    except OSError:
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


# (what, the request, the statuses it may get; None: the connection
# closes without one). serve judges every request head before libsoup
# parses it, and refuses every body it will not read before reading any
# of it; libsoup answers what else it cannot parse (400, and 505 for an
# unknown version).
BAD_REQUESTS = [
    ("a negative Content-Length",
     b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", {400}),
    ("a very negative Content-Length",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -9223372036854775808\r\n\r\n", {400}),
    ("a Content-Length beyond 2^63",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 9223372036854775808\r\n\r\n", {413}),
    ("a Content-Length beyond 2^64",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999999\r\n\r\n",
     {413}),
    ("a Content-Length that is not a number",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n", {400}),
    ("a Content-Length with trailing junk",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5x\r\n\r\nhello", {400}),
    ("an empty Content-Length",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n", {400}),
    ("two Content-Lengths that contradict each other",
     b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 500000\r\n\r\nhello",
     {400}),
    ("a Content-Length listing two values",
     b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\nhello", {400}),
    ("a Content-Length and chunked at once",
     b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
     b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", {400}),
    ("a chunked body",
     b"POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
     b"5\r\nhello\r\n0\r\n\r\n", {411}),
    ("a chunked body with a chunk size beyond 2^64",
     b"POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
     b"ffffffffffffffffffffffff\r\nhello\r\n", {411}),
    ("an unknown transfer coding",
     b"POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nhello", {411}),
    ("a Host with a slash",
     b"GET /metrics HTTP/1.1\r\nHost: a/b\r\n\r\n", {400}),
    ("a Content-Length folded onto a second line",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n 0\r\n\r\n", {400}),
    ("a Content-Length with spaces around it",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length:  0 \r\n\r\n", {200}),
    ("a header name with a space, which is no Content-Length",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length : -5\r\n\r\n", {200, 400}),
    ("a head ended by the end of file, with a Content-Length beyond 2^63",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 9223372036854775808\r\n", {413}),
    ("a head just within 64 KiB, with a negative Content-Length",
     b"GET /metrics HTTP/1.1\r\nContent-Length: -2\r\nX-Pad: " + b"p" * (65536 - 60)
     + b"\r\n\r\n", {400}),
    ("empty lines before the request line",
     b"\r\n\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -2\r\n\r\n", {400}),
    ("bare newlines and a negative Content-Length",
     b"GET /metrics HTTP/1.1\nHost: x\nContent-Length: -2\n\n", {400}),
    ("an Expect: 100-continue with a large body",
     b"POST /metrics HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
     b"Content-Length: 100000000\r\n\r\n", {413}),
    ("a header of 1 MiB",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n", {400, None}),
    ("10,000 headers",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 10000 + b"\r\n", {400, None}),
    ("a request line of 1 MiB",
     b"GET /" + b"m" * (1 << 20) + b" HTTP/1.1\r\nHost: x\r\n\r\n", {400, None}),
    ("a header line without a colon",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nnonsense\r\n\r\n", {200, 400}),
    ("a NUL in a header",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n", {400}),
    ("control characters in the path",
     b"GET /metrics\x1b[2J\x00 HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
    ("bytes that are not UTF-8 in the Accept header",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: \xff\xfe;q=\x80\r\n\r\n", {200}),
    ("an absurd q value",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\n"
     b"Accept: application/openmetrics-text;q=1e999, */*;q=-5\r\n\r\n", {200}),
    # Ranges of a scrape: ignored, the whole answer comes (libsoup's own
    # parsing takes a start beyond 2^63 as negative).
    ("a Range starting beyond 2^63",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nRange: bytes=9223372036854775808-10\r\n\r\n", {200}),
    ("a Range ending beyond 2^64",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nRange: bytes=5-99999999999999999999999\r\n\r\n", {200}),
    ("a suffix Range beyond 2^63",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nRange: bytes=-9223372036854775809\r\n\r\n", {200}),
    ("a thousand Ranges",
     b"GET /metrics HTTP/1.1\r\nHost: x\r\nRange: bytes=" + b"0-0," * 1000 + b"1-1\r\n\r\n", {200}),
    ("HTTP/9.9", b"GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n", {505}),
    # libsoup answers these itself, without the early handler.
    ("OPTIONS * with a Content-Length beyond 2^63",
     b"OPTIONS * HTTP/1.1\r\nHost: x\r\nContent-Length: 9223372036854775808\r\n\r\n", {413}),
    ("a URI that is not http with a negative Content-Length",
     b"GET ftp://x/metrics HTTP/1.1\r\nContent-Length: -2\r\n\r\n", {400}),
    ("a path with .. and a chunked body",
     b"POST /%2e%2e/metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
     b"ffffffffffffffffffff\r\n", {411}),
    ("no HTTP version", b"GET /metrics\r\n\r\n", {400}),
    ("binary junk", bytes(range(256)) * 4 + b"\r\n\r\n", {400}),
    ("a bare newline", b"\n\n\n\n", {400}),
    ("a pipelined second request",
     REQUEST + b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", {200}),
]


def bad_requests(serve):
    for name, data, expected in BAD_REQUESTS:
        started = time.monotonic()
        response = exchange(serve, data, seconds=TIMEOUT_S + 3)
        took = time.monotonic() - started
        status = status_of(response)
        said = " or ".join("closed" if e is None else str(e) for e in sorted(expected, key=str))
        t.check(status in expected and took < 1, f"{name}: {said}, at once",
                f"{response[:200]!r} after {took:.1f} s")
        if not alive(serve, name):
            break


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def no_leak(serve):
    """Requests libsoup 3.2 parses and then leaks the path of (a Content-Length
    it cannot read, a Host with a slash): 1000 of them, 32 KiB each, must
    not cost the server 32 MiB."""
    path = b"/" + b"p" * 32768
    tails = (b"Host: x\r\nContent-Length: x\r\n\r\n", b"Host: a/b\r\n\r\n")
    exchange(serve, b"GET " + path + b" HTTP/1.1\r\n" + tails[0])
    before = rss_kib(serve.pid)
    for n in range(1000):
        exchange(serve, b"GET " + path + b" HTTP/1.1\r\n" + tails[n % 2])
    grown = rss_kib(serve.pid) - before
    with open(f"/proc/{serve.pid}/maps") as f:
        sanitized = "libasan" in f.read()
    if sanitized:
        # ASan keeps freed memory in quarantine; LeakSanitizer judges at exit.
        t.note(f"under AddressSanitizer, RSS grew {grown} KiB: not judged")
    else:
        t.check(grown < 8 * 1024, "1000 requests with 32 KiB paths that libsoup would leak: "
                "no memory kept", f"RSS grew {grown} KiB")
    alive(serve, "1000 requests libsoup would leak")


def slow_loris(serve):
    """Headers trickled a line at a time, never ending: cut after the timeout."""
    s = connect(serve)
    started = time.monotonic()
    closed = False
    try:
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
        while time.monotonic() - started < TIMEOUT_S + 3:
            s.sendall(b"X-A: b\r\n")
            time.sleep(0.1)
    except (BrokenPipeError, ConnectionResetError):
        closed = True
    took = time.monotonic() - started
    s.close()
    t.check(closed and took < TIMEOUT_S + 2, "a slow loris is cut after the timeout",
            f"closed {closed} after {took:.1f} s")
    alive(serve, "a slow loris")


def main():
    serve = t.Serve(CLI, "--interval", "200", "--timeout", str(TIMEOUT_S), env=ENV)
    serve.wait_for_metrics()

    for phase in (resets, bad_requests, no_leak, slow_loris):
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
