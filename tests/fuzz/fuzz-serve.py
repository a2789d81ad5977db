#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# fuzz-serve.py HEALTH-MONITOR [OUTDIR]
#
# A socket fuzzer for the request path of `health-monitor serve`: mutated
# HTTP requests (bit flips, spliced seeds, tokens, numbers replaced with
# ones parsers misread, headers that decide how a body is read, repeated
# runs and headers up to hundreds of KiB) sent over loopback to the
# real server, run under G_DEBUG=fatal-warnings,fatal-criticals, each in
# one of four ways: whole, in pieces, reset (SO_LINGER {1, 0}) after a
# prefix, or closed without reading the answer. Every answer must be a
# status line or nothing, and come at once; every 100 requests, and at
# the end, /metrics must answer 200 (the run stops at the first time it
# does not); the server must keep no descriptor
# per request and exit 0 on SIGTERM without a warning.
#
# Bounded: FUZZ_SERVE_REQUESTS requests (default 2000) or
# FUZZ_SERVE_SECONDS seconds (default 60), whichever comes first.
# FUZZ_SEED repeats a run (its seed is printed); the inputs around a
# failure are kept in OUTDIR/fuzz-artifacts. Loopback only.

import collections
import errno
import os
import random
import re
import socket
import struct
import sys
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "prometheus"))
import promtest as t  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
OUTDIR = sys.argv[2] if len(sys.argv) > 2 else os.getcwd()
N_REQUESTS = int(os.environ.get("FUZZ_SERVE_REQUESTS", "2000"))
MAX_SECONDS = float(os.environ.get("FUZZ_SERVE_SECONDS", "60"))
SEED = int(os.environ.get("FUZZ_SEED") or random.SystemRandom().randrange(1 << 32))
TIMEOUT_S = 5           # the server's --timeout
ANSWER_WITHIN_S = 2.0   # once the client has sent all and shut its side
CHECK_EVERY = 100
# How a connection the server has closed, or reset, fails on our side.
CLOSED = (errno.ECONNRESET, errno.EPIPE, errno.ENOTCONN)

SEEDS = [
    b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9464\r\nUser-Agent: Prometheus/2.42.0\r\n"
    b"Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
    b"version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1\r\n"
    b"Accept-Encoding: gzip\r\nX-Prometheus-Scrape-Timeout-Seconds: 10\r\n\r\n",
    b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n",
    b"GET /metrics HTTP/1.0\r\n\r\n",
    b"HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /metrics?name[]=up&x=%00%ff HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
    b"PUT /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    b"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"POST /metrics HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
    b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
    b"CONNECT 127.0.0.1:9464 HTTP/1.1\r\nHost: 127.0.0.1:9464\r\n\r\n",
    b"GET http://127.0.0.1/metrics HTTP/1.1\r\n\r\n",
    b"GET /%2e%2e/%2e%2e/metrics HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n"
    b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
    b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    b"GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Basic Zm9vOmJhcg==\r\n"
    b"Cookie: a=b; c=d\r\nRange: bytes=0-10\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n",
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
]

TOKENS = [
    b"\r\n", b"\n", b"\r", b"\r\n\r\n", b":", b": ", b" ", b"\t", b"\0", b",", b";", b"=",
    b"\xff", b"\xc0\x80", b"\xc2\x9b", b"\x1b[2J", b"\xe2\x80\xae", b"%", b"%00", b"%2e%2e",
    b"*", b"/", b"?", b"#", b"..", b"\\", b"\"",
    b"-1", b"-0", b"+5", b"0x10", b"1e9", b"9223372036854775807", b"9223372036854775808",
    b"-9223372036854775808", b"18446744073709551615", b"18446744073709551616",
    b"99999999999999999999999999", b"65536", b"65537",
    b"Content-Length: ", b"Content-Length: -1\r\n", b"Content-Length: 99999999999999\r\n",
    b"Transfer-Encoding: chunked\r\n", b"Transfer-Encoding: gzip, chunked\r\n",
    b"Expect: 100-continue\r\n", b"Connection: close\r\n", b"Connection: keep-alive\r\n",
    b"Host: ", b"Host: a/b\r\n", b"Accept: ", b";q=", b";q=1e999", b";q=-1", b"Accept-Charset: ",
    b"HTTP/1.1", b"HTTP/1.0", b"HTTP/0.9", b"HTTP/2.0", b"HTTP/1.10", b"GET", b"HEAD", b"POST",
    b"ffffffffffffffffff\r\n", b"0\r\n\r\n",
]

# Numbers as HTTP and C parsers misread them: signs, 2^63 and 2^64 and
# either side, hex, exponents, leading zeros, nothing.
NUMBERS = [
    b"0", b"1", b"-1", b"-2", b"-100", b"+5", b" 5", b"5 ", b"00005", b"0x10", b"1e3", b"",
    b"65536", b"65537", b"2147483648", b"4294967296",
    b"9223372036854775807", b"9223372036854775808", b"-9223372036854775808",
    b"-9223372036854775809", b"18446744073709551615", b"18446744073709551616",
    b"99999999999999999999999999",
]

HEADER_NAMES = [
    b"Content-Length", b"Transfer-Encoding", b"Expect", b"Connection", b"Host", b"Accept",
    b"Upgrade", b"Content-Type", b"Range", b"content-length", b"Content-Length ",
]


# -- mutations ----------------------------------------------------------------

def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        kind = rng.randrange(11)
        pos = rng.randint(0, len(data))
        if kind == 0 and data:                       # flip bits
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
        elif kind == 1:                              # a token
            data[pos:pos] = rng.choice(TOKENS)
        elif kind == 2 and data:                     # delete a run
            end = min(len(data), pos + rng.randint(1, 32))
            del data[pos:end]
        elif kind == 3 and data:                     # repeat a run, up to ~400 KiB
            start = rng.randrange(len(data))
            run = data[start:start + rng.randint(1, 16)]
            data[pos:pos] = run * rng.choice((2, 10, 100, 1000, 25000))
        elif kind == 4:                              # splice another seed
            other = rng.choice(SEEDS)
            cut = rng.randint(0, len(other))
            data = data[:pos] + bytearray(other[cut:])
        elif kind == 5 and data:                     # truncate
            del data[pos:]
        elif kind == 6 and data:                     # random bytes
            i = rng.randrange(len(data))
            data[i] = rng.randrange(256)
        elif kind == 7:                              # a huge header
            name = rng.choice((b"X-Big", b"Accept", b"Host", b"Content-Length"))
            header = name + b": " + b"a" * rng.choice((100, 8000, 70000, 200000)) + b"\r\n"
            line_end = data.find(b"\r\n")
            at = line_end + 2 if line_end >= 0 else pos
            data[at:at] = header
        elif kind == 8:                              # many headers
            line_end = data.find(b"\r\n")
            at = line_end + 2 if line_end >= 0 else pos
            data[at:at] = b"X-A: b\r\n" * rng.choice((10, 100, 1000, 10000))
        elif kind == 9:                              # another number for one
            numbers = [m.span() for m in re.finditer(rb"[0-9]+", bytes(data))]
            if numbers:
                start, end = rng.choice(numbers)
                data[start:end] = rng.choice(NUMBERS)
        elif kind == 10:                             # a header that matters
            value = rng.choice(NUMBERS + [b"chunked", b"100-continue", b"close", b"gzip"])
            line_end = data.find(b"\r\n")
            at = line_end + 2 if line_end >= 0 else pos
            data[at:at] = rng.choice(HEADER_NAMES) + b": " + value + b"\r\n"
    return bytes(data)


# -- delivery -----------------------------------------------------------------

def reset(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def read_answer(s):
    """What comes back until the server closes, or None if it holds on."""
    received = b""
    deadline = time.monotonic() + ANSWER_WITHIN_S
    try:
        s.shutdown(socket.SHUT_WR)
        while True:
            s.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = s.recv(65536)
            if not chunk:
                return received
            received += chunk
    except socket.timeout:
        return None
    except OSError as e:
        if e.errno not in CLOSED:
            raise
        return received


def deliver(rng, serve, data, mode):
    """Sends `data` one way or another; returns (problem or None, answer)."""
    s = socket.create_connection((serve.host, serve.port), timeout=ANSWER_WITHIN_S)
    try:
        if mode == "reset":
            s.sendall(data[:rng.randint(0, len(data))])
            reset(s)
            return None, b""
        if mode == "pieces":
            # Two to eight pieces, cut anywhere, a moment apart.
            cuts = sorted(rng.randint(0, len(data)) for _ in range(rng.randint(1, 7)))
            for start, end in zip([0] + cuts, cuts + [len(data)]):
                s.sendall(data[start:end])
                time.sleep(rng.choice((0, 0, 0.0005, 0.002)))
        else:
            s.sendall(data)
        if mode == "hangup":
            s.close()
            return None, b""
        answer = read_answer(s)
    except OSError as e:
        # The server may close on a request it refuses before reading all.
        if e.errno not in CLOSED:
            raise
        return None, b""
    finally:
        s.close()

    if answer is None:
        return f"no end of the answer within {ANSWER_WITHIN_S} s", b""
    if answer and not answer.startswith((b"HTTP/1.0 ", b"HTTP/1.1 ")):
        return "an answer that is not HTTP", answer
    if answer:
        try:
            status = int(answer.split(b" ", 2)[1])
        except (IndexError, ValueError):
            return "no status in the answer", answer
        if not 100 <= status <= 599:
            return f"status {status}", answer
    return None, answer


def keep(recent):
    """Saves the last requests sent: the one that failed, or those before
    it when the server died meanwhile."""
    directory = os.path.join(OUTDIR, "fuzz-artifacts")
    os.makedirs(directory, exist_ok=True)
    for index, mode, data in recent:
        with open(os.path.join(directory, f"fuzz-serve-{SEED}-{index}-{mode}.bin"), "wb") as f:
            f.write(data)
    return f"requests {recent[0][0]} to {recent[-1][0]} kept in {directory}"


def alive(serve):
    try:
        status, _, body = serve.request(timeout=5)
        return status == 200 and "health_memory_usage_ratio" in body
    except OSError:
        return False


def main():
    env = t.environment(HEALTH_PROC_ROOT=t.PROC_MEMORY95,
                        G_DEBUG="fatal-warnings,fatal-criticals")
    serve = t.Serve(CLI, "--interval", "1000", "--timeout", str(TIMEOUT_S), env=env,
                    seconds=MAX_SECONDS + 60)
    serve.wait_for_metrics()
    fds_before = t.count_fds(serve.pid)
    rng = random.Random(SEED)
    t.note(f"seed {SEED} (FUZZ_SEED={SEED} repeats this run)")

    modes = ("whole", "whole", "pieces", "reset", "hangup")
    counts = dict.fromkeys(modes, 0)
    failures = 0
    started = time.monotonic()
    n = 0
    n_alive = 0
    recent = collections.deque(maxlen=5)
    while n < N_REQUESTS and time.monotonic() - started < MAX_SECONDS:
        data = mutate(rng, rng.choice(SEEDS))
        mode = rng.choice(modes)
        counts[mode] += 1
        n += 1
        recent.append((n, mode, data))
        try:
            problem, answer = deliver(rng, serve, data, mode)
        except OSError as e:
            problem, answer = f"cannot connect: {e}", b""
        if problem is not None:
            failures += 1
            t.check(False, f"request {n} ({mode}): {problem}",
                    f"{keep(list(recent))}\n{answer[:300]!r}")
        if n % CHECK_EVERY == 0 or problem is not None:
            if not alive(serve):
                t.check(False, f"/metrics answers after {n} requests",
                        f"exit {serve.process.poll()}; {keep(list(recent))}")
                break
            n_alive += 1
        if failures >= 10:
            break

    took = time.monotonic() - started
    t.note(f"{n} requests in {took:.1f} s, {n / took:.0f} requests/s: "
           + ", ".join(f"{k} {v}" for k, v in counts.items()))
    # A busy machine may stop the run at its time limit, not before 2000.
    t.check(n >= min(N_REQUESTS, 2000) or failures, f"{n} requests sent",
            f"{n} in {took:.1f} s")
    t.check(failures == 0, "every answer was a status line or nothing, at once")
    t.check(n_alive == n // CHECK_EVERY, f"/metrics answered 200 after every {CHECK_EVERY} requests",
            f"{n_alive} times")

    # What libsoup closes asynchronously has closed by now.
    time.sleep(0.5)
    fds_after = t.count_fds(serve.pid)
    t.check(alive(serve) and 0 < fds_after <= fds_before + 2,
            "serve still answers, holding no descriptor per request",
            f"{fds_before} descriptors before, {fds_after} after")

    status = serve.stop()
    t.check(status == 0, "serve exits 0 on SIGTERM after the fuzzing", serve.stderr)
    t.check("WARNING" not in serve.stderr and "CRITICAL" not in serve.stderr,
            "and has logged no warning", serve.stderr[-2000:])
    t.finish()


if __name__ == "__main__":
    main()
