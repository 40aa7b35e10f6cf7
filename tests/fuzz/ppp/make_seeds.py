#!/usr/bin/env python3
"""Regenerate the seed corpora for the lib/ppp fuzz targets (python3 make_seeds.py)."""
import os

here = os.path.dirname(os.path.abspath(__file__))


def fcs16(data):
    fcs = 0xffff
    for b in data:
        fcs ^= b
        for _ in range(8):
            fcs = (fcs >> 1) ^ 0x8408 if fcs & 1 else fcs >> 1
    return fcs


def hdlc(frame):
    fcs = fcs16(frame) ^ 0xffff
    raw = frame + bytes([fcs & 0xff, fcs >> 8])
    out = bytearray([0x7e])
    for b in raw:
        if b < 0x20 or b in (0x7d, 0x7e):
            out += bytes([0x7d, b ^ 0x20])
        else:
            out.append(b)
    out.append(0x7e)
    return bytes(out)


def cp(proto, code, ident, data):
    return bytes([0xff, 0x03, proto >> 8, proto & 0xff, code, ident]) + \
        (len(data) + 4).to_bytes(2, 'big') + data


def rec(op, data=b''):
    return bytes([op, len(data)]) + data


win_lcp = cp(0xc021, 1, 1, bytes([1, 4, 0x0f, 0xfb, 5, 6, 0x5a, 0x3b, 0x1c, 0x0d, 7, 2, 8, 2,
                                   13, 3, 6, 17, 4, 0x06, 0x4e, 19, 9, 1, 1, 2, 3, 4, 5, 6, 7]))
frames = [
    win_lcp,
    cp(0xc021, 9, 3, bytes([1, 2, 3, 4, 5, 6])),
    cp(0xc021, 5, 4, b''),
    cp(0x8021, 1, 1, bytes([3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 2, 6, 0, 0x2d, 0x0f, 1])),
    cp(0x8057, 1, 1, bytes([1, 10, 0, 0, 0, 0, 0, 0, 0, 0])),
    cp(0xc223, 2, 1, bytes([49]) + bytes(49) + b'user'),
    cp(0xc023, 1, 1, bytes([4]) + b'user' + bytes([2]) + b'pw'),
    bytes([0x21, 0x45, 0, 0, 20]) + bytes(16),
    cp(0x80fd, 1, 1, bytes([18, 6, 1, 0, 0, 0x40])),
    cp(0xc227, 2, 1, bytes([1]) + b'user'),
    cp(0xc227, 1, 2, bytes([4, 16]) + bytes(range(16)) + b'srv'),
    cp(0xc227, 1, 3, bytes([26, 1, 3, 0, 21, 16]) + bytes(range(16))),
    cp(0xc227, 3, 3, b''),
]
handshake = b''.join(rec(1) + rec(2) for _ in range(12))

os.makedirs(os.path.join(here, 'corpus', 'session'), exist_ok=True)
os.makedirs(os.path.join(here, 'corpus', 'hdlc'), exist_ok=True)
seeds = {}
for mode in range(6):
    seeds['handshake_%d' % mode] = bytes([mode]) + handshake + rec(3, b'\x05') + rec(1) + rec(2)
    seeds['handshake_close_%d' % mode] = bytes([mode]) + handshake + rec(5, b'\x01') + \
        rec(2) + rec(1) + rec(3, b'\x04') + rec(3, b'\x04')
for i, f in enumerate(frames):
    seeds['inject_%d' % i] = bytes([0]) + rec(0, f) + handshake[:20] + rec(0, f)
# EAP (mode 6: server target, mode 7: peer target): relayed rounds, the fuzzer's backend bytes
eap_rounds = b''.join(rec(1) + rec(2) + rec(4, b'\x01') for _ in range(14))
seeds['eap_server'] = bytes([6]) + eap_rounds
seeds['eap_peer'] = bytes([7]) + handshake + handshake
seeds['eap_raw_backend'] = bytes([6]) + eap_rounds[:30] + \
    rec(4, b'\x05' + bytes([1, 9, 0, 22, 4, 16]) + bytes(16)) + rec(2) + rec(1) + \
    rec(4, b'\x07' + bytes([3, 9, 0, 4])) + rec(2) + rec(1)
seeds['timers'] = bytes([2]) + b''.join(rec(3, b'\x03') for _ in range(12))
seeds['reject_auth'] = bytes([4]) + rec(1) + rec(2) + rec(1) + rec(2) + rec(1) + rec(2) + \
    rec(1) + rec(2) + rec(4, b'\x00') + rec(2) + rec(1)
for k, v in seeds.items():
    with open(os.path.join(here, 'corpus', 'session', k), 'wb') as fh:
        fh.write(v)

hd = {
    'lcp': b'\x10' + hdlc(win_lcp),
    'two': b'\x20' + hdlc(frames[1]) + hdlc(frames[3]),
    'flags': b'\x01' + b'\x7e' * 8,
    'bad_fcs': b'\x10' + hdlc(frames[2])[:-3] + b'\x00\x00\x7e',
    'abort': b'\x10\x7e\xff\x7d\x23\xc0\x21\x7d\x7e',
    'long': b'\x00' + hdlc(bytes([0xff, 3, 0, 0x21]) + bytes(range(256)) * 2),
}
for k, v in hd.items():
    with open(os.path.join(here, 'corpus', 'hdlc', k), 'wb') as fh:
        fh.write(v)
