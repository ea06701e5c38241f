#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-wg authors
#
# Writes the seed corpus of fuzz_classify (tests/fuzz/fuzz_classify.c):
#
#   tests/fuzz/gen_classify.py tests/fuzz/corpus/fuzz_classify
#
# Each seed is a list of records: flags (bit 0 port: 0 wan, 1 lan; bit 1
# destination MAC rewritten; bit 2 end of burst; bit 3 sealed: an inner
# packet that the harness's peer A encrypts), 16-bit little-endian length,
# an Ethernet frame (or the inner packet). The
# addresses, MACs and keys are those of the harness's configuration; the
# handshake initiations are real (Noise IKpsk2 from the peers' private
# keys 0x22.. and 0x33.., with a valid mac1), so they reach the responder.
# Needs python3-cryptography.

import hashlib
import hmac
import os
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey, X25519PublicKey)
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives import serialization

GW_MAC = [bytes.fromhex("020000000001"), bytes.fromhex("020000000002")]
NB_MAC = bytes.fromhex("02aa00000002")
BCAST = b"\xff" * 6
GW_PRIV = bytes([0x11]) * 32
PEER_A = bytes([0x22]) * 32
PEER_B = bytes([0x33]) * 32
PSK_B = bytes([0x44]) * 32
LISTEN = 51820


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def ip6(s):
    import ipaddress
    return ipaddress.IPv6Address(s).packed


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def eth(dst, src, etype, payload):
    return dst + src + struct.pack("!H", etype) + payload


def ipv4(src, dst, proto, payload, ttl=64, frag=0x4000, ident=1,
         options=b""):
    ihl = 5 + len(options) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload),
                    ident, frag, ttl, proto, 0, ip4(src), ip4(dst)) + options
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ipv6(src, dst, nh, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, hlim,
                       ip6(src), ip6(dst)) + payload


def udp4(src, dst, sport, dport, data):
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    ph = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, len(u))
    c = csum(ph + u) or 0xffff
    return u[:6] + struct.pack("!H", c) + u[8:]


def udp6(src, dst, sport, dport, data):
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    ph = ip6(src) + ip6(dst) + struct.pack("!I3xB", len(u), 17)
    c = csum(ph + u) or 0xffff
    return u[:6] + struct.pack("!H", c) + u[8:]


def icmp4(typ, code, rest):
    m = struct.pack("!BBH", typ, code, 0) + rest
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def icmp6(src, dst, typ, code, rest):
    m = struct.pack("!BBH", typ, code, 0) + rest
    ph = ip6(src) + ip6(dst) + struct.pack("!I3xB", len(m), 58)
    return m[:2] + struct.pack("!H", csum(ph + m)) + m[4:]


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, sha, ip4(spa),
                       tha, ip4(tpa))


# ---- WireGuard (the protocol's constants; see the whitepaper) ----------

def pub(priv):
    return X25519PrivateKey.from_private_bytes(priv).public_key() \
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def dh(priv, pubk):
    return X25519PrivateKey.from_private_bytes(priv).exchange(
        X25519PublicKey.from_public_bytes(pubk))


def H(*parts):
    return hashlib.blake2s(b"".join(parts)).digest()


def hm(key, data):
    return hmac.new(key, data, hashlib.blake2s).digest()


def kdf(c, data, n):
    t0 = hm(c, data)
    out, prev = [], b""
    for i in range(1, n + 1):
        prev = hm(t0, prev + bytes([i]))
        out.append(prev)
    return out


def aead(key, counter, pt, ad):
    return ChaCha20Poly1305(key).encrypt(b"\0" * 4 +
                                         struct.pack("<Q", counter), pt, ad)


def initiation(s_priv, r_pub, e_priv, sender, tai, psk=None):
    c = H(b"Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s")
    h = H(c, b"WireGuard v1 zx2c4 Jason@zx2c4.com")
    h = H(h, r_pub)
    e_pub = pub(e_priv)
    c = kdf(c, e_pub, 1)[0]
    h = H(h, e_pub)
    c, k = kdf(c, dh(e_priv, r_pub), 2)
    enc_s = aead(k, 0, pub(s_priv), h)
    h = H(h, enc_s)
    c, k = kdf(c, dh(s_priv, r_pub), 2)
    enc_t = aead(k, 0, tai, h)
    msg = struct.pack("<I", 1) + struct.pack("<I", sender) + e_pub + \
        enc_s + enc_t
    mac1 = hashlib.blake2s(msg, key=H(b"mac1----", r_pub),
                           digest_size=16).digest()
    return msg + mac1 + b"\0" * 16


def tai64n(sec, nsec=0):
    return struct.pack("!QI", (1 << 62) + sec, nsec)


# ---- seeds ----------------------------------------------------------------

def rec(frame, port=0, flags=0):
    return bytes([port | flags]) + struct.pack("<H", len(frame)) + frame


def wan_udp4(data, dport=LISTEN, src="198.18.0.2", sport=51821):
    return eth(GW_MAC[0], NB_MAC, 0x0800,
               ipv4(src, "198.18.0.1", 17,
                    udp4(src, "198.18.0.1", sport, dport, data)))


def wan_udp6(data, dport=LISTEN, src="2001:db8:1::2", sport=51821):
    return eth(GW_MAC[0], NB_MAC, 0x86dd,
               ipv6(src, "2001:db8:1::1", 17,
                    udp6(src, "2001:db8:1::1", sport, dport, data)))


def lan4(dst, payload=b"x" * 32, ttl=64, frag=0x4000, size=None):
    if size is not None:
        payload = b"y" * (size - 28)
    return eth(GW_MAC[1], NB_MAC, 0x0800,
               ipv4("10.10.0.2", dst, 17,
                    udp4("10.10.0.2", dst, 1234, 5678, payload),
                    ttl=ttl, frag=frag))


def lan6(dst, payload=b"x" * 32, hlim=64):
    return eth(GW_MAC[1], NB_MAC, 0x86dd,
               ipv6("fd00:10::2", dst, 17,
                    udp6("fd00:10::2", dst, 1234, 5678, payload), hlim=hlim))


def seeds():
    gw_pub = pub(GW_PRIV)
    init_a = initiation(PEER_A, gw_pub, bytes([0x55]) * 32, 0x01020304,
                        tai64n(1700000000))
    init_b = initiation(PEER_B, gw_pub, bytes([0x66]) * 32, 0x0a0b0c0d,
                        tai64n(1700000000))
    s = {}
    s["arp_request_wan"] = rec(eth(BCAST, NB_MAC, 0x0806,
                                   arp(1, NB_MAC, "198.18.0.2", b"\0" * 6,
                                       "198.18.0.1")))
    s["arp_reply_wan"] = rec(eth(GW_MAC[0], NB_MAC, 0x0806,
                                 arp(2, NB_MAC, "198.18.0.254", GW_MAC[0],
                                     "198.18.0.1")))
    s["arp_request_lan"] = rec(eth(BCAST, NB_MAC, 0x0806,
                                   arp(1, NB_MAC, "10.10.0.2", b"\0" * 6,
                                       "10.10.0.1")), port=1)
    s["icmp_echo_wan"] = rec(eth(GW_MAC[0], NB_MAC, 0x0800,
                                 ipv4("198.18.0.2", "198.18.0.1", 1,
                                      icmp4(8, 0, struct.pack("!HH", 7, 1) +
                                            b"ping" * 8))))
    s["icmp_echo_wg_addr"] = rec(eth(GW_MAC[1], NB_MAC, 0x0800,
                                     ipv4("10.10.0.2", "10.9.0.1", 1,
                                          icmp4(8, 0, struct.pack("!HH", 7, 2)
                                                + b"ping"))), port=1)
    e6 = icmp6("2001:db8:1::2", "2001:db8:1::1", 128, 0,
               struct.pack("!HH", 7, 1) + b"ping" * 8)
    s["icmp6_echo_wan"] = rec(eth(GW_MAC[0], NB_MAC, 0x86dd,
                                  ipv6("2001:db8:1::2", "2001:db8:1::1", 58,
                                       e6)))
    ns = icmp6("2001:db8:1::2", "ff02::1:ff00:1", 135, 0,
               b"\0" * 4 + ip6("2001:db8:1::1") + b"\x01\x01" + NB_MAC)
    s["nd_ns_wan"] = rec(eth(bytes.fromhex("3333ff000001"), NB_MAC, 0x86dd,
                             ipv6("2001:db8:1::2", "ff02::1:ff00:1", 58, ns,
                                  hlim=255)))
    na = icmp6("2001:db8:1::fe", "2001:db8:1::1", 136, 0,
               b"\x60\0\0\0" + ip6("2001:db8:1::fe") + b"\x02\x01" + NB_MAC)
    s["nd_na_wan"] = rec(eth(GW_MAC[0], NB_MAC, 0x86dd,
                             ipv6("2001:db8:1::fe", "2001:db8:1::1", 58, na,
                                  hlim=255)))
    s["wg_initiation_a"] = rec(wan_udp4(init_a))
    s["wg_initiation_b_psk_v6"] = rec(wan_udp6(init_b, src="2001:db8:1::3"))
    s["wg_response_shape"] = rec(wan_udp4(struct.pack("<III", 2, 5, 6) +
                                          b"\0" * 80))
    s["wg_cookie_shape"] = rec(wan_udp4(struct.pack("<II", 3, 5) +
                                        b"\0" * 56))
    s["wg_data_unknown_index"] = rec(wan_udp4(struct.pack("<IIQ", 4, 9, 0) +
                                              b"\0" * 48))
    s["wg_keepalive_shape_v6"] = rec(wan_udp6(struct.pack("<IIQ", 4, 9, 1) +
                                              b"\0" * 16))
    s["wg_bad_type"] = rec(wan_udp4(struct.pack("<I", 7) + b"\0" * 60))
    s["udp_other_port"] = rec(wan_udp4(b"hello", dport=9999))
    # IPv4 fragments of a datagram to the listen port
    whole = udp4("198.18.0.2", "198.18.0.1", 51821, LISTEN, init_a)
    f1 = ipv4("198.18.0.2", "198.18.0.1", 17, whole[:80], frag=0x2000,
              ident=77)
    f2 = ipv4("198.18.0.2", "198.18.0.1", 17, whole[80:], frag=10, ident=77)
    s["ipv4_fragments"] = rec(eth(GW_MAC[0], NB_MAC, 0x0800, f1)) + \
        rec(eth(GW_MAC[0], NB_MAC, 0x0800, f2))
    # forwarding
    s["fwd_lan_to_peer_staged"] = rec(lan4("10.9.0.2"), port=1) + \
        rec(lan6("fd00:9::3"), port=1)
    s["fwd_default_route_then_arp"] = rec(lan4("192.0.2.9"), port=1,
                                          flags=4) + \
        s["arp_reply_wan"]
    s["fwd_ttl1"] = rec(lan4("192.0.2.9", ttl=1), port=1)
    s["fwd_hlim1_v6"] = rec(lan6("2001:db8:7::9", hlim=1), port=1)
    s["fwd_too_big_df"] = rec(lan4("10.9.0.2", size=1500), port=1)
    s["fwd_fragment_needed"] = rec(lan4("192.0.2.9", size=1500, frag=0),
                                   port=1)
    s["fwd_tunnel_no_peer"] = rec(lan4("10.9.0.77"), port=1)
    s["ipv4_options"] = rec(eth(GW_MAC[0], NB_MAC, 0x0800,
                                ipv4("198.18.0.2", "198.18.0.1", 1,
                                     icmp4(8, 0, b"\0\1\0\1"),
                                     options=b"\x94\x04\0\0")))
    hbh = bytes([58, 0, 1, 4, 0, 0, 0, 0])
    s["ipv6_hop_by_hop"] = rec(eth(GW_MAC[0], NB_MAC, 0x86dd,
                                   ipv6("2001:db8:1::2", "2001:db8:1::1", 0,
                                        hbh + e6)))
    s["vlan_and_short"] = rec(eth(GW_MAC[0], NB_MAC, 0x8100,
                                  b"\0\1\x08\0" + b"\0" * 40)) + \
        rec(b"\x02\0\0\0\0\x01\x02") + rec(eth(GW_MAC[0], GW_MAC[0], 0x0800,
                                               b"\0" * 20))
    # sealed by peer A (the harness's session): inner packets
    def in4(src, dst, payload=b"z" * 24):
        return ipv4(src, dst, 17, udp4(src, dst, 4000, 5000, payload))

    def in6(src, dst, payload=b"z" * 24):
        return ipv6(src, dst, 17, udp6(src, dst, 4000, 5000, payload))
    SEAL = 8
    s["sealed_to_lan"] = rec(in4("10.9.0.2", "10.10.0.2"), flags=SEAL)
    s["sealed_ping_gw"] = rec(ipv4("10.9.0.2", "10.9.0.1", 1,
                                   icmp4(8, 0, b"\0\1\0\1" + b"p" * 16)),
                              flags=SEAL)
    s["sealed_v6_to_lan"] = rec(in6("fd00:9::2", "fd00:10::2"), flags=SEAL)
    s["sealed_subnet_to_peer_b"] = rec(in4("10.20.1.1", "10.9.0.3"),
                                       flags=SEAL)
    s["sealed_wrong_source"] = rec(in4("10.9.0.3", "10.10.0.2"), flags=SEAL)
    s["sealed_keepalive_and_runt"] = rec(b"", flags=SEAL) + \
        rec(b"\x45\0\0", flags=SEAL)
    s["sealed_ttl1_big"] = rec(ipv4("10.9.0.2", "192.0.2.9", 17,
                                    udp4("10.9.0.2", "192.0.2.9", 1, 2,
                                         b"q" * 1380), ttl=1), flags=SEAL)
    s["burst_mixed"] = b"".join([s["arp_request_wan"], s["icmp_echo_wan"],
                                 s["wg_initiation_a"], s["nd_ns_wan"],
                                 rec(lan4("10.9.0.3"), port=1),
                                 s["wg_data_unknown_index"]])
    return s


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/fuzz_classify"
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(seeds().items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(seeds())} seeds in {out}")


if __name__ == "__main__":
    main()
