#!/usr/bin/env python3
"""Linux TCP client for the lib/tcp integration tests (runs in the client netns).

  send HOST PORT FILE        send FILE, half-close, expect the sink's SHA-256 (hex+LF)
  recv HOST PORT BYTES SHA   read to EOF, check the byte count and SHA-256
  many HOST PORT CONNS SEED  open CONNS connections at once (all established before any
                             data moves), send each 1..8 KiB of seeded bytes, half-close,
                             check the echo byte for byte, close
Every mode has a deadline (--timeout, seconds) and exits 0 only on success.
"""
import argparse
import hashlib
import random
import resource
import selectors
import socket
import sys
import time


def die(msg):
    print("tcpclient: FAIL: " + msg, flush=True)
    sys.exit(1)


def connect(host, port, timeout):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect((host, port))
    return s


def rate(nbytes, t0):
    dt = max(time.monotonic() - t0, 1e-6)
    return "%d bytes in %.2f s (%.1f Mbit/s)" % (nbytes, dt, nbytes * 8 / dt / 1e6)


def cmd_send(a):
    h = hashlib.sha256()
    with open(a.file, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            h.update(b)
    want = h.hexdigest()
    t0 = time.monotonic()
    deadline = t0 + a.timeout
    s = connect(a.host, a.port, a.timeout)
    with open(a.file, "rb") as f:
        sent = s.sendfile(f)
    s.shutdown(socket.SHUT_WR)
    reply = b""
    while True:
        s.settimeout(max(deadline - time.monotonic(), 0.1))
        b = s.recv(4096)
        if not b:
            break
        reply += b
    s.close()
    print("tcpclient: send " + rate(sent, t0), flush=True)
    got = reply.decode(errors="replace").strip()
    if got != want:
        die("sink digest %r, sent %s" % (got, want))
    print("tcpclient: sink digest matches " + want, flush=True)


def cmd_recv(a):
    t0 = time.monotonic()
    deadline = t0 + a.timeout
    s = connect(a.host, a.port, a.timeout)
    h = hashlib.sha256()
    n = 0
    buf = bytearray(1 << 20)
    while True:
        s.settimeout(max(deadline - time.monotonic(), 0.1))
        k = s.recv_into(buf)
        if k == 0:
            break
        h.update(memoryview(buf)[:k])
        n += k
    s.close()
    print("tcpclient: recv " + rate(n, t0), flush=True)
    if n != a.bytes:
        die("got %d bytes, want %d" % (n, a.bytes))
    if h.hexdigest() != a.sha:
        die("digest %s, want %s" % (h.hexdigest(), a.sha))
    print("tcpclient: received stream matches " + a.sha, flush=True)


class Conn:
    def __init__(self, sock, payload):
        self.sock = sock
        self.payload = payload
        self.sent = 0
        self.got = bytearray()
        self.state = "connecting"


def cmd_many(a):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = a.conns + 64
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(need, soft), hard), hard))
    rnd = random.Random(a.seed)
    sel = selectors.DefaultSelector()
    fam = socket.AF_INET6 if ":" in a.host else socket.AF_INET
    t0 = time.monotonic()
    deadline = t0 + a.timeout
    conns = []
    for _ in range(a.conns):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex((a.host, a.port))
        c = Conn(s, rnd.randbytes(rnd.randint(1, 8192)))
        conns.append(c)
        sel.register(s, selectors.EVENT_WRITE, c)
    # Phase 1: every connection established before any data moves.
    pending = a.conns
    while pending > 0:
        if time.monotonic() > deadline:
            die("%d of %d connections not established in time" % (pending, a.conns))
        for key, _ in sel.select(1.0):
            c = key.data
            if c.state != "connecting":
                die("data or EOF from the echo server before anything was sent")
            err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err != 0:
                die("connect: errno %d" % err)
            c.state = "open"
            sel.modify(c.sock, selectors.EVENT_READ, c)
            pending -= 1
    print("tcpclient: %d connections established in %.2f s" % (a.conns, time.monotonic() - t0),
          flush=True)
    # Phase 2: send, half-close, read the echo to EOF.
    for c in conns:
        sel.modify(c.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, c)
        c.state = "sending"
    done = 0
    while done < a.conns:
        if time.monotonic() > deadline:
            left = [c for c in conns if c.state != "done"]
            die("%d connections unfinished (e.g. sent %d/%d got %d)" %
                (len(left), left[0].sent, len(left[0].payload), len(left[0].got)))
        for key, ev in sel.select(1.0):
            c = key.data
            if ev & selectors.EVENT_WRITE and c.state == "sending":
                try:
                    c.sent += c.sock.send(c.payload[c.sent:c.sent + 65536])
                except BlockingIOError:
                    pass
                if c.sent == len(c.payload):
                    c.sock.shutdown(socket.SHUT_WR)
                    c.state = "reading"
                    sel.modify(c.sock, selectors.EVENT_READ, c)
            if ev & selectors.EVENT_READ:
                try:
                    b = c.sock.recv(65536)
                except BlockingIOError:
                    continue
                if b:
                    c.got += b
                    if len(c.got) > len(c.payload):
                        die("echo longer than what was sent")
                    continue
                if c.state != "reading":
                    die("EOF before all data was sent")
                if bytes(c.got) != c.payload:
                    die("echo differs (%d bytes sent, %d back)" % (len(c.payload), len(c.got)))
                sel.unregister(c.sock)
                c.sock.close()
                c.state = "done"
                done += 1
    total = sum(len(c.payload) for c in conns)
    print("tcpclient: %d connections echoed and closed, %d bytes each way, %.2f s" %
          (a.conns, total, time.monotonic() - t0), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--timeout", type=float, default=120)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send")
    s.add_argument("host")
    s.add_argument("port", type=int)
    s.add_argument("file")
    r = sub.add_parser("recv")
    r.add_argument("host")
    r.add_argument("port", type=int)
    r.add_argument("bytes", type=int)
    r.add_argument("sha")
    m = sub.add_parser("many")
    m.add_argument("host")
    m.add_argument("port", type=int)
    m.add_argument("conns", type=int)
    m.add_argument("seed", type=int)
    a = p.parse_args()
    try:
        {"send": cmd_send, "recv": cmd_recv, "many": cmd_many}[a.cmd](a)
    except (OSError, socket.timeout) as e:
        die("%s: %s" % (type(e).__name__, e))


if __name__ == "__main__":
    main()
