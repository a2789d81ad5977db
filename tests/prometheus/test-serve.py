#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-serve.py HEALTH-MONITOR
#
# `health-monitor serve` as an HTTP server, on loopback only: paths,
# methods, HEAD, the listen address and its errors, the warning for an
# address beyond loopback (checked inside a network namespace of its
# own, where "every interface" is an unplugged loopback), the idle
# timeout, SIGINT and SIGTERM.

import os
import signal
import socket
import subprocess
import sys
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promtest as t  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
ENV = t.environment(HEALTH_PROC_ROOT=t.PROC_MEMORY95)


def usage_error(args, name, words=()):
    result = t.run([CLI, "serve"] + list(args), seconds=10, env=ENV)
    t.check(result.returncode == 2 and all(w in result.stderr for w in words),
            f"usage error: {name}", f"{result.returncode} {result.stderr!r}")


def raw_exchange(serve, data, seconds):
    """Sends `data`, returns what comes back before EOF, and how long it took."""
    start = time.monotonic()
    with socket.create_connection((serve.host, serve.port), timeout=seconds) as s:
        s.sendall(data)
        received = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                received += chunk
        except (socket.timeout, ConnectionResetError):
            pass
    return received, time.monotonic() - start


def ipv6_loopback_available():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def main():
    serve = t.Serve(CLI, "--interval", "200", "--timeout", "1")
    status, headers, body = serve.wait_for_metrics()
    t.check(headers.get("Connection") == "close",
            "one request per connection, and said so", headers)

    for path in ("/", "/metricsx", "/metrics/", "/other"):
        status, headers, _ = serve.request(path=path)
        t.check(status == 404, f"GET {path} is 404", status)
    status, _, _ = serve.request(path="/metrics?name=x")
    t.check(status == 200, "a query string is ignored")

    for method in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH"):
        status, headers, _ = serve.request(method=method)
        t.check(status == 405 and headers.get("Allow") == "GET, HEAD",
                f"{method} /metrics is 405 with Allow: GET, HEAD", (status, headers))
    status, headers, _ = serve.request(method="POST", path="/elsewhere")
    t.check(status == 404, "POST elsewhere is 404")

    status, get_headers, get_body = serve.request()
    status, head_headers, head_body = serve.request(method="HEAD")
    t.check(status == 200 and head_body == "" and
            head_headers.get("Content-Type") == get_headers.get("Content-Type") and
            int(head_headers.get("Content-Length", -1)) > 1000,
            "HEAD: headers, length, no body", head_headers)

    # A request that never ends is cut after --timeout.
    received, took = raw_exchange(serve, b"GET /metrics HTTP/1.1\r\nHost: x\r\n", 6)
    t.check(received == b"" and took < 4, "a half-sent request is closed after the timeout",
            f"{received[:80]!r} after {took:.1f} s")
    # A large body is not read.
    received, took = raw_exchange(
        serve, b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n", 6)
    t.check(took < 1, "a huge body closes the connection at once", f"{took:.1f} s")

    # The port is taken: exit 1, said clearly.
    result = t.run([CLI, "serve", "--listen", f"127.0.0.1:{serve.port}"], seconds=10, env=ENV)
    t.check(result.returncode == 1 and "Cannot listen" in result.stderr,
            "a port in use is exit 1", f"{result.returncode} {result.stderr!r}")

    t.check(serve.stop(signal.SIGINT) == 0, "SIGINT: exit 0", serve.stderr)
    t.check("Warning" not in serve.stderr, "no warning on loopback", serve.stderr)

    serve = t.Serve(CLI, "--interval", "200")
    serve.wait_for_metrics()
    t.check(serve.stop(signal.SIGTERM) == 0, "SIGTERM: exit 0", serve.stderr)

    # Names and IPv6.
    serve = t.Serve(CLI, listen="localhost:0")
    status, _, _ = serve.wait_for_metrics()
    t.check(status == 200, "localhost:0 works")
    serve.stop()
    if ipv6_loopback_available():
        serve = t.Serve(CLI, listen="[::1]:0")
        status, _, _ = serve.wait_for_metrics()
        t.check(status == 200 and serve.host == "::1", "[::1]:0 works")
        serve.stop()
    else:
        t.note("no IPv6 loopback: [::1] not tried")

    usage_error(["--listen", ":9464"], "a port without a host", ["0.0.0.0:9464"])
    usage_error(["--listen", "127.0.0.1:notaport"], "a bad port")
    usage_error(["--interval", "0"], "a zero interval")
    usage_error(["--timeout", "-1"], "a negative timeout")
    usage_error(["extra"], "a stray argument")

    # Beyond loopback: only ever inside a network namespace of our own.
    probe = t.run(["unshare", "-rn", "true"], seconds=10)
    if probe.returncode == 0:
        process = t.spawn(["unshare", "-rn", CLI, "serve", "--listen", "0.0.0.0:0"], 20,
                          env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = process.stdout.readline()
        pid = t.child_pid(process)
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                pass
        status = t.stop(process, signal.SIGTERM)
        stderr = process.stderr.read()
        t.check(line.startswith("Listening on http://0.0.0.0:") and
                "Warning: listening on 0.0.0.0, beyond this machine" in stderr,
                "0.0.0.0 warns (in an isolated network namespace)", f"{line!r} {stderr!r}")
        t.check(status == 0, "and still exits 0 on SIGTERM", status)
    else:
        t.note("no user namespaces: the warning beyond loopback is not tried")

    t.finish()


if __name__ == "__main__":
    main()
