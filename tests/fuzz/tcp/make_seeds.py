#!/usr/bin/env python3
"""Seed corpus for fuzz_tcp_input (see the input format there).

Packets target the fuzz harness' established connections: peer
198.51.100.1:40000 / 2001:db8:1::1 -> 192.0.2.1:443 / 2001:db8:2::2, peer ISN
1000 (next seq 1001), ACK fields relative to the stack's ISS (mode bit 1).
"""
import os, struct, sys

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def tcp(fam, seq, ack, flags, opts=b'', data=b'', win=0x1000, sport=40000, dport=443):
    if len(opts) % 4:
        opts += b'\1' * (4 - len(opts) % 4)
    doff = (20 + len(opts)) // 4
    th = struct.pack('!HHIIBBHHH', sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                     doff << 4, flags, win, 0, 0) + opts + data
    if fam == 4:
        src, dst = bytes([198, 51, 100, 1]), bytes([192, 0, 2, 1])
        ph = src + dst + struct.pack('!BBH', 0, 6, len(th))
        ck = csum(ph + th)
        th = th[:16] + struct.pack('!H', ck) + th[18:]
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(th), 0, 0x4000, 64, 6, 0, src, dst)
        ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
        return ip + th
    src = bytes([0x20, 1, 0xd, 0xb8, 1] + [0] * 10 + [1])
    dst = bytes([0x20, 1, 0xd, 0xb8, 2] + [0] * 10 + [2])
    ph = src + dst + struct.pack('!IxxxB', len(th), 6)
    ck = csum(ph + th)
    th = th[:16] + struct.pack('!H', ck) + th[18:]
    return struct.pack('!IHBB', 6 << 28, len(th), 6, 64) + src + dst + th

def ts(val, ecr=0):
    return b'\1\1\x08\x0a' + struct.pack('!II', val, ecr)

def sack(*blocks):
    return b'\1\1\x05' + bytes([2 + 8 * len(blocks)]) + b''.join(struct.pack('!II', a, b) for a, b in blocks)

def rec(pkt, adv=0):
    return bytes([adv]) + struct.pack('!H', len(pkt)) + pkt

A, F, S, R, P = 0x10, 0x01, 0x02, 0x04, 0x08
seeds = {}
for fam in (4, 6):
    d = b'hello world ' * 20
    seeds[f'data{fam}'] = bytes([3]) + rec(tcp(fam, 1001, 1, A | P, ts(200), d))
    seeds[f'ooo{fam}'] = bytes([3]) + rec(tcp(fam, 1301, 1, A, ts(200), d)) + rec(tcp(fam, 1001, 1, A, ts(201), d[:300]), 5)
    seeds[f'fin{fam}'] = bytes([3]) + rec(tcp(fam, 1001, 1, A | F, ts(200), d))
    seeds[f'rst{fam}'] = bytes([3]) + rec(tcp(fam, 1001, 0, R))
    seeds[f'rst_ch{fam}'] = bytes([3]) + rec(tcp(fam, 1101, 0, R))
    seeds[f'syn_ch{fam}'] = bytes([3]) + rec(tcp(fam, 1501, 0, S, ts(300)))
    seeds[f'sack{fam}'] = bytes([11]) + rec(tcp(fam, 1001, 1, A, ts(200) + sack((1501, 2001), (2501, 3001)))) \
        + rec(tcp(fam, 1001, 1, A, ts(201) + sack((1501, 3001)))) + rec(tcp(fam, 1001, 1, A, ts(202) + sack((1501, 3001))), 3)
    seeds[f'close{fam}'] = bytes([11]) + rec(tcp(fam, 1001, 3001, A | F, ts(200))) + rec(tcp(fam, 1002, 3002, A, ts(201)), 1)
    seeds[f'zwin{fam}'] = bytes([15]) + rec(tcp(fam, 1001, 1, A, ts(200), win=0)) + rec(b'', 250) + rec(tcp(fam, 1001, 1, A, ts(201)), 250)
    seeds[f'newsyn{fam}'] = bytes([1]) + rec(tcp(fam, 7, 0, S, b'\2\4\5\xb4\4\2' + ts(5) + b'\1\3\3\7', sport=40001))
    seeds[f'cookie{fam}'] = bytes([1]) + b''.join(rec(tcp(fam, 7 + i, 0, S, ts(5), sport=41000 + i)) for i in range(5)) \
        + rec(tcp(fam, 8, 12345, A, ts(6, 5), sport=41004))
    seeds[f'paws{fam}'] = bytes([3]) + rec(tcp(fam, 1001, 1, A, ts(50), d))
    seeds[f'badopt{fam}'] = bytes([1]) + rec(tcp(fam, 1001, 1, A, b'\x08\x28\0\0'))
seeds['garbage'] = bytes([0]) + rec(b'\x45' + b'\0' * 30)

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), 'corpus')
os.makedirs(out, exist_ok=True)
for k, v in seeds.items():
    with open(os.path.join(out, k), 'wb') as f:
        f.write(v)
