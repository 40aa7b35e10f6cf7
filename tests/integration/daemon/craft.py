#!/usr/bin/env python3
"""Send hand-made hostile frames out of an interface (AF_PACKET), for the daemon test.

   craft.py IFACE GW_MAC KIND COUNT

KIND is the drop reason the frame must hit: ip4_bad_cksum, ndp_bad_hop_limit,
ndp_bad_option, arp_not_for_us, eth_vlan, icmp4_bad_cksum. Addresses are the
documentation ones the test uses (192.0.2.0/24, 2001:db8:1::/64)."""
import socket
import struct
import sys


def cksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


iface, gw_mac, kind, count = sys.argv[1], mac(sys.argv[2]), sys.argv[3], int(sys.argv[4])
my_mac = mac(open("/sys/class/net/%s/address" % iface).read().strip())
gw4, me4, other4 = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]), bytes([192, 0, 2, 99])
gw6 = bytes.fromhex("20010db8000100000000000000000001")
me6 = bytes.fromhex("20010db8000100000000000000000002")


def eth(dst, t):
    return dst + my_mac + struct.pack("!H", t)


def ping4(bad_ip=False, bad_icmp=False):
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x5347, 1) + b"sstpgw-test-payload"
    c = cksum(icmp) ^ (0x0101 if bad_icmp else 0)
    icmp = icmp[:2] + struct.pack("!H", c) + icmp[4:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 7, 0, 64, 1, 0, me4, gw4)
    c = cksum(ip) ^ (0x0101 if bad_ip else 0)
    ip = ip[:10] + struct.pack("!H", c) + ip[12:]
    return eth(gw_mac, 0x0800) + ip + icmp


def ns(hop_limit=255, opt_len=1):
    group = bytes.fromhex("ff0200000000000000000001ff") + gw6[13:]
    body = struct.pack("!BBHI", 135, 0, 0, 0) + gw6 + bytes([1, opt_len]) + my_mac
    ph = me6 + group + struct.pack("!I", len(body)) + b"\0\0\0\x3a"
    body = body[:2] + struct.pack("!H", cksum(ph + body)) + body[4:]
    ip6 = struct.pack("!IHBB", 6 << 28, len(body), 58, hop_limit) + me6 + group
    return eth(b"\x33\x33" + group[12:], 0x86DD) + ip6 + body


def arp_other():
    a = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + my_mac + me4 + b"\0" * 6 + other4
    return eth(b"\xff" * 6, 0x0806) + a


def vlan():
    inner = ping4()
    return gw_mac + my_mac + struct.pack("!HH", 0x8100, 42) + inner[12:]


frames = {
    "ip4_bad_cksum": lambda: ping4(bad_ip=True),
    "icmp4_bad_cksum": lambda: ping4(bad_icmp=True),
    "ndp_bad_hop_limit": lambda: ns(hop_limit=64),
    "ndp_bad_option": lambda: ns(opt_len=0),
    "arp_not_for_us": arp_other,
    "eth_vlan": vlan,
}
frame = frames[kind]()
frame += b"\0" * max(0, 60 - len(frame))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
for _ in range(count):
    s.send(frame)
