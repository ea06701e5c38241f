#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
"""Malformed and mutated frames at a gateway port (used by test_router.sh).

usage: router_malformed.py IFACE GW_MAC [SEED]

Sends, from IFACE (inside the wan host namespace), frames that a gateway
must drop without harm: truncated Ethernet/ARP/IPv4/IPv6/ICMP/ND headers,
lengths that lie, bad checksums, bad ND options, then a few hundred random
mutations of valid frames. Addresses that the gateway would learn as
neighbours are kept off-link so that no mutation poisons its tables.

Finally sends an ICMP echo request carrying IP options to the gateway and
waits for the reply (options are not echoed). Exit 0 when it came.
"""

import os
import random
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SRC4 = bytes([198, 18, 0, 2])
GW4 = bytes([198, 18, 0, 1])
OFFLINK4 = bytes([203, 0, 113, 9])
SRC6 = socket.inet_pton(socket.AF_INET6, "2001:db8:1::2")
GW6 = socket.inet_pton(socket.AF_INET6, "2001:db8:1::1")
OFFLINK6 = socket.inet_pton(socket.AF_INET6, "2001:db8:99::9")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(dst, src, etype, payload):
    return dst + src + struct.pack("!H", etype) + payload


def ipv4(src, dst, proto, payload, ttl=64, options=b"", tot=None,
         bad_cksum=False):
    ihl = 5 + len(options) // 4
    total = tot if tot is not None else 4 * ihl + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total, 0x1234, 0x4000,
                      ttl, proto, 0, src, dst) + options
    c = csum(hdr) ^ (0x5555 if bad_cksum else 0)
    hdr = hdr[:10] + struct.pack("!H", c) + hdr[12:]
    return hdr + payload


def icmp_echo(ident, seq, data=b"dpdk-wg"):
    msg = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    return msg[:2] + struct.pack("!H", csum(msg)) + msg[4:]


def ipv6(src, dst, nh, payload, hlim=64, plen=None):
    length = plen if plen is not None else len(payload)
    return struct.pack("!IHBB16s16s", 6 << 28, length, nh, hlim, src,
                       dst) + payload


def icmp6(src, dst, typ, code, body):
    msg = struct.pack("!BBH", typ, code, 0) + body
    pseudo = src + dst + struct.pack("!II", len(msg), 58)
    c = csum(pseudo + msg)
    return msg[:2] + struct.pack("!H", c) + msg[4:]


def solicited(addr):
    return bytes.fromhex("ff020000000000000000000000000001ff") + addr[13:]


def arp(op, sha, sip, tha, tip, hrd=1, pro=0x0800, hln=6, pln=4):
    return struct.pack("!HHBBH6s4s6s4s", hrd, pro, hln, pln, op, sha, sip,
                       tha, tip)


def main():
    iface, gw_mac_s = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else int(time.time())
    rnd = random.Random(seed)
    gw = bytes.fromhex(gw_mac_s.replace(":", ""))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    me = s.getsockname()[4][:6]
    bcast = b"\xff" * 6
    fake = bytes([0x02, 0, 0, 0, 0, 0x99])  # a sender that is not us

    ns_body = struct.pack("!I16s", 0, GW6) + bytes([1, 1]) + fake
    frames = [
        # Ethernet header alone, each type
        eth(gw, fake, 0x0806, b""), eth(gw, fake, 0x0800, b""),
        eth(gw, fake, 0x86DD, b""), eth(gw, fake, 0x8100, b"\0" * 40),
        # ARP: truncated, wrong sizes
        eth(bcast, fake, 0x0806, arp(1, fake, OFFLINK4, b"\0" * 6, GW4)[:20]),
        eth(bcast, fake, 0x0806, arp(1, fake, OFFLINK4, b"\0" * 6, GW4,
                                     hln=8)),
        eth(bcast, fake, 0x0806, arp(1, fake, OFFLINK4, b"\0" * 6, GW4,
                                     pro=0x86DD)),
        # IPv4: short, bad version, IHL < 5, IHL past the end, length lies,
        # bad checksum, truncated ICMP/UDP
        eth(gw, fake, 0x0800, ipv4(OFFLINK4, GW4, 1, icmp_echo(1, 1))[:12]),
        eth(gw, fake, 0x0800, b"\x65" + ipv4(OFFLINK4, GW4, 1,
                                             icmp_echo(1, 1))[1:]),
        eth(gw, fake, 0x0800, b"\x43" + ipv4(OFFLINK4, GW4, 1,
                                             icmp_echo(1, 1))[1:]),
        eth(gw, fake, 0x0800, b"\x4f" + ipv4(OFFLINK4, GW4, 1,
                                             icmp_echo(1, 1))[1:30]),
        eth(gw, fake, 0x0800, ipv4(OFFLINK4, GW4, 1, icmp_echo(1, 1),
                                   tot=1400)),
        eth(gw, fake, 0x0800, ipv4(OFFLINK4, GW4, 1, icmp_echo(1, 1),
                                   tot=10)),
        eth(gw, fake, 0x0800, ipv4(OFFLINK4, GW4, 1, icmp_echo(1, 1),
                                   bad_cksum=True)),
        eth(gw, fake, 0x0800, ipv4(OFFLINK4, GW4, 1, b"\x08\x00\xf7")),
        eth(gw, fake, 0x0800, ipv4(OFFLINK4, GW4, 17, b"\xca\x6c")),
        eth(gw, fake, 0x0800, ipv4(OFFLINK4, GW4, 1,
                                   b"\x08\x00\x00\x00\x00\x01\x00\x01")),
        # IPv6: short, payload length lies, truncated ICMPv6
        eth(gw, fake, 0x86DD, ipv6(OFFLINK6, GW6, 58, b"")[:30]),
        eth(gw, fake, 0x86DD, ipv6(OFFLINK6, GW6, 58, b"\x80\0", plen=900)),
        eth(gw, fake, 0x86DD, ipv6(OFFLINK6, GW6, 58, b"\x80")),
        eth(gw, fake, 0x86DD, ipv6(OFFLINK6, GW6, 0, b"\x3a\0" + b"\0" * 6)),
        # ND: hop limit 254, option of length 0, option past the end,
        # multicast target, bad checksum, truncated
        eth(gw, fake, 0x86DD, ipv6(OFFLINK6, solicited(GW6), 58,
            icmp6(OFFLINK6, solicited(GW6), 135, 0, ns_body), hlim=254)),
        eth(gw, fake, 0x86DD, ipv6(OFFLINK6, solicited(GW6), 58,
            icmp6(OFFLINK6, solicited(GW6), 135, 0,
                  struct.pack("!I16s", 0, GW6) + bytes([1, 0]) + fake),
            hlim=255)),
        eth(gw, fake, 0x86DD, ipv6(OFFLINK6, solicited(GW6), 58,
            icmp6(OFFLINK6, solicited(GW6), 135, 0,
                  struct.pack("!I16s", 0, GW6) + bytes([1, 9]) + fake),
            hlim=255)),
        eth(gw, fake, 0x86DD, ipv6(OFFLINK6, GW6, 58,
            icmp6(OFFLINK6, GW6, 136, 0,
                  struct.pack("!I16s", 0x20000000, solicited(GW6))),
            hlim=255)),
        eth(gw, fake, 0x86DD, ipv6(OFFLINK6, GW6, 58,
            icmp6(OFFLINK6, GW6, 135, 0, ns_body)[:-4] + b"\0\0\0\1",
            hlim=255)),
        eth(gw, fake, 0x86DD, ipv6(OFFLINK6, GW6, 58,
            icmp6(OFFLINK6, GW6, 135, 0, b"\0" * 8), hlim=255)),
        # not for us
        eth(bytes([0x02, 1, 2, 3, 4, 5]), fake, 0x0800,
            ipv4(OFFLINK4, GW4, 1, icmp_echo(1, 1))),
    ]

    templates = [
        eth(bcast, fake, 0x0806, arp(1, fake, OFFLINK4, b"\0" * 6, GW4)),
        eth(gw, fake, 0x0800, ipv4(OFFLINK4, GW4, 1, icmp_echo(7, 7))),
        eth(gw, fake, 0x0800, ipv4(OFFLINK4, bytes([10, 10, 0, 2]), 17,
                                   b"\x30\x39\xca\x6c\x00\x0c\x00\x00abcd",
                                   ttl=1)),
        eth(gw, fake, 0x86DD, ipv6(OFFLINK6, GW6, 58,
            icmp6(OFFLINK6, GW6, 128, 0, b"\0\7\0\7dpdk-wg"))),
        eth(gw, fake, 0x86DD, ipv6(OFFLINK6, solicited(GW6), 58,
            icmp6(OFFLINK6, solicited(GW6), 135, 0, ns_body), hlim=255)),
    ]
    for _ in range(400):
        f = bytearray(rnd.choice(templates))
        for _ in range(rnd.randint(1, 4)):
            i = rnd.randrange(14, len(f))
            if f[:2] == b"\xff\xff" and 22 <= i < 42:
                continue  # keep ARP sender/target off-link
            f[i] = rnd.randrange(256)
        if rnd.random() < 0.5:
            f = f[:rnd.randint(14, len(f))]
        frames.append(bytes(f))

    for f in frames:
        try:
            s.send(f)
        except OSError:
            pass  # the kernel refuses some lengths: fine
        time.sleep(0.0005)
    print("sent %d frames (seed %d)" % (len(frames), seed))

    # ICMP echo with a 4-byte option (NOP NOP NOP EOL) to the gateway
    ident = os.getpid() & 0xFFFF
    probe = eth(gw, me, 0x0800, ipv4(SRC4, GW4, 1, icmp_echo(ident, 42),
                                     options=b"\x01\x01\x01\x00"))
    s.settimeout(0.2)
    deadline = time.time() + 5
    next_send = 0
    while time.time() < deadline:
        if time.time() >= next_send:
            s.send(probe)
            next_send = time.time() + 1
        try:
            r = s.recv(2048)
        except socket.timeout:
            continue
        if len(r) < 42 or r[12:14] != b"\x08\x00" or r[6:12] != gw:
            continue
        ihl = (r[14] & 0xF) * 4
        icmp = r[14 + ihl:]
        if r[23] == 1 and len(icmp) >= 8 and icmp[0] == 0 and \
                struct.unpack("!H", icmp[4:6])[0] == ident:
            ok = ihl == 20 and csum(r[14:34]) == 0 and \
                csum(icmp[:struct.unpack("!H", r[16:18])[0] - ihl]) == 0
            print("echo reply to a request with IP options: %s" %
                  ("ok" if ok else "bad checksum or options echoed"))
            return 0 if ok else 1
    print("no echo reply to a request with IP options")
    return 1


if __name__ == "__main__":
    sys.exit(main())
