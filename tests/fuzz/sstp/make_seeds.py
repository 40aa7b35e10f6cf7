#!/usr/bin/env python3
"""Regenerate the committed seed corpora for the lib/sstp fuzz targets (deterministic)."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = b"/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/"
CL = b"Content-Length: 18446744073709551615\r\n"


def ctrl(msg, attrs=b"", n=None):
    if n is None:
        n = 0
        i = 0
        while i < len(attrs):
            n += 1
            i += struct.unpack(">H", attrs[i + 2:i + 4])[0] & 0xFFF
    body = struct.pack(">HH", msg, n) + attrs
    return struct.pack(">BBH", 0x10, 1, 4 + len(body)) + body


def attr(aid, value):
    return struct.pack(">BBH", 0, aid, 4 + len(value)) + value


def data(frame):
    return struct.pack(">BBH", 0x10, 0, 4 + len(frame)) + frame


REQ = ctrl(1, attr(1, b"\x00\x01"))
ACK = ctrl(2, attr(4, b"\x00\x00\x00\x02" + bytes(range(32))))
NAK = ctrl(3, attr(2, b"\x00\x00\x00\x01" + b"\x00\x00\x00\x04" + b"\x00\x02"))
CONNECTED = ctrl(4, attr(3, b"\x00\x00\x00\x02" + bytes(96)))
ABORT = ctrl(5, attr(2, b"\x00\x00\x00\x00" + b"\x00\x00\x00\x05"))
DISC = ctrl(6, attr(2, bytes(8)))
DISC_ACK, ECHO_REQ, ECHO_RSP = ctrl(7), ctrl(8), ctrl(9)
LCP = data(b"\xff\x03\xc0\x21\x01\x01\x00\x04")
IP = data(b"\xff\x03\x00\x21\x45\x00\x00\x14" + bytes(16))


def write(sub, name, blob):
    d = os.path.join(HERE, "corpus", sub)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(blob)


def main():
    http = {
        "sstpc": b"SSTP_DUPLEX_POST " + PATH + b" HTTP/1.1\r\nHost: vpn.example.net\r\n" + CL
        + b"SSTPCORRELATIONID: {62C1E0C2-1B2D-4C2A-9A5B-0D1E2F3A4B5C}\r\n\r\n",
        "tenant": b"SSTP_DUPLEX_POST " + PATH + b"?tenantid=x HTTP/1.1\nhost: h\n" + CL + b"\n",
        "get": b"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
        "http10": b"SSTP_DUPLEX_POST " + PATH + b" HTTP/1.0\r\n\r\n",
        "reply": b"HTTP/1.1 200 OK\r\n" + CL + b"Server: Microsoft-HTTPAPI/2.0\r\n\r\n",
        "reply404": b"HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n",
    }
    for i, (k, v) in enumerate(http.items()):
        write("http", k, bytes([i * 7]) + v)

    stream = {
        "handshake": REQ + ACK + CONNECTED + LCP + IP + ECHO_REQ + ECHO_RSP,
        "teardown": NAK + ABORT + DISC + DISC_ACK,
        "hostile": ctrl(1, attr(1, b"\x00\x01") * 2) + ctrl(1, attr(9, b"\x00\x01"))
        + ctrl(8, attr(1, b"\x00\x01")) + ctrl(1, b"\x00\x01\x00\x03\x00\x01", n=1),
        "badversion": b"\x20\x01\x00\x08\x00\x08\x00\x00",
    }
    for i, (k, v) in enumerate(stream.items()):
        write("stream", k, bytes([i]) + v)

    def rec(op, blob=b"", ln=None):
        return bytes([op, len(blob) if ln is None else ln]) + blob

    server = {
        # flags 0x08: past HTTP; ops: 0 rx, 2 time, 3 auth, 4 CONNECTED, 5 disc, 6 abort, 7 tx
        "full": bytes([0x0A]) + rec(0, REQ) + rec(0, LCP) + rec(3, ln=1) + rec(4, ln=2)
        + rec(0, IP) + rec(2, ln=130) + rec(0, ECHO_RSP) + rec(7, b"\x00\x21\x45")
        + rec(5) + rec(0, DISC_ACK),
        "http": bytes([0x00]) + rec(0, b"SSTP_DUPLEX_POST " + PATH + b" HTTP/1.1\r\nHost: f\r\n")
        + rec(0, CL + b"\r\n") + rec(0, REQ) + rec(2, ln=200),
        "naks": bytes([0x08]) + rec(0, ctrl(1, attr(1, b"\x00\x02"))) * 4 + rec(2, ln=10),
        "abort": bytes([0x0E]) + rec(0, REQ) + rec(4) + rec(0, ABORT) + rec(2, ln=4),
        "wrongstate": bytes([0x08]) + rec(0, REQ) + rec(0, REQ) + rec(0, ABORT) + rec(2, ln=8),
    }
    for k, v in server.items():
        write("server", k, v)

    reply = b"HTTP/1.1 200 OK\r\n" + CL + b"\r\n"
    client = {
        # ops: 0 rx, 2 time, 3 auth, 4 disconnect/abort, 5 tx
        "full": bytes([0x03]) + rec(0, reply) + rec(0, ACK) + rec(0, LCP) + rec(3, ln=1)
        + rec(0, IP) + rec(0, ECHO_REQ) + rec(2, ln=130) + rec(4, ln=1) + rec(0, DISC_ACK),
        "naks": bytes([0x02]) + rec(0, reply) + rec(0, NAK) * 4 + rec(2, ln=10),
        "abort": bytes([0x02]) + rec(0, reply) + rec(0, ACK) + rec(0, ABORT) + rec(2, ln=4),
        "notfound": bytes([0x02]) + rec(0, b"HTTP/1.1 404 Not Found\r\n\r\n"),
        "disc": bytes([0x01]) + rec(0, reply) + rec(0, ACK) + rec(0, DISC) + rec(2, ln=4),
    }
    for k, v in client.items():
        write("client", k, v)


if __name__ == "__main__":
    main()
