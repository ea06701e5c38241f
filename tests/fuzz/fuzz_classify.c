/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * libFuzzer harness for the gateway's receive path: raw Ethernet frames
 * go through gw_io_input(), the function a poll of an I/O lcore calls on
 * a received burst (classification, ARP, IPv4/IPv6, ICMP/ICMPv6, ND,
 * forwarding, WireGuard's gw_wg_input()), then the lcore loop runs until
 * idle (TX buffers, the lcore ring, handshake messages on the control
 * path, staging, decryption and its completion, deferred frees).
 *
 * One real gateway, built once from a small configuration: EAL without
 * hugepages or PCI, a single lcore holding every role (control, io,
 * crypto: run to completion), two net_ring ports and one WireGuard
 * interface with two peers (A with an endpoint, B with a preshared key).
 * A net_ring port's TX ring is its RX ring: the harness takes what the
 * gateway sent off it after every loop iteration, so the gateway never
 * receives its own frames; those frames are checked (Ethernet, at least
 * 14 bytes, source MAC the port's) and WireGuard messages to peer A are
 * given to peer A.
 *
 * Peer A is a real WireGuard device of the protocol core (lib/wireguard)
 * with A's private key: at start-up, and again every minute of real time
 * (sessions expire), it completes a handshake with the gateway through
 * the same path. Records flagged "seal" are encrypted by A into data
 * messages, so that fuzzed inner packets reach decryption, the replay
 * window, the inner header checks, allowed IPs and the router.
 *
 * Input: records of
 *   flags (1 byte): bit 0 port (wan/lan); bit 1 destination MAC replaced
 *                   by the port's; bit 2 a burst ends after this frame;
 *                   bit 3 seal: the bytes are an inner packet that A
 *                   encrypts, sent as A's datagram to the gateway (wan)
 *   length (2 bytes, little endian, cut to GW_FZ_MAX_FRAME)
 *   frame (or inner packet) bytes
 *
 * After every input the gateway must hold no more mbufs than before it,
 * except those WireGuard legitimately keeps staged for a handshake: every
 * packet was freed or transmitted (this catches leaks of mbufs, which
 * LeakSanitizer cannot see in DPDK's mempools). Dynamic neighbour entries
 * are aged out after every input (the table's clock is advanced past every
 * retry and expiry), so that queued packets are released and one input
 * does not depend on the previous ones' neighbours.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/socket.h>

#include <sanitizer/lsan_interface.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_udp.h>

#include "config/config.h"
#include "gateway/gateway.h"
#include "gateway/io.h"
#include "gateway/lcore.h"
#include "gateway/neigh.h"
#include "gateway/reload.h"
#include "gateway/stats.h"
#include "gateway/wg_control.h"
#include "gateway/wg_dp.h"
#include "gateway/wg_hook.h"
#include "wireguard/device.h"
#include "wireguard/keypair.h"
#include "wireguard/peer.h"

#define GW_FZ_MAX_FRAME		2048
#define GW_FZ_MAX_FRAMES	64
#define GW_FZ_LOOP_MAX		256

/*
 * Fixed test keys: the gateway's private key is 32 bytes of 0x11, A's
 * 0x22, B's 0x33, B's preshared key 0x44 (tests/fuzz/gen_classify.py).
 */
static const char gw_fz_yaml[] =
	"ports:\n"
	"  - {name: wan, device: net_ring0, mtu: 1500,\n"
	"     address: [198.18.0.1/24, \"2001:db8:1::1/64\"]}\n"
	"  - {name: lan, device: net_ring1, mtu: 1500,\n"
	"     address: [10.10.0.1/24, \"fd00:10::1/64\"]}\n"
	"routes:\n"
	"  - {prefix: 0.0.0.0/0, via: 198.18.0.254}\n"
	"  - {prefix: \"::/0\", via: \"2001:db8:1::fe\"}\n"
	"neighbors:\n"
	"  - {address: 198.18.0.2, mac: \"02:aa:00:00:00:02\", port: wan}\n"
	"  - {address: \"2001:db8:1::2\", mac: \"02:aa:00:00:00:02\", port: wan}\n"
	"  - {address: 10.10.0.2, mac: \"02:aa:00:00:00:02\", port: lan}\n"
	"wireguard:\n"
	"  - name: fzwg0\n"
	"    private_key: \"ERERERERERERERERERERERERERERERERERERERERERE=\"\n"
	"    listen_port: 51820\n"
	"    address: [10.9.0.1/24, \"fd00:9::1/64\"]\n"
	"    peers:\n"
	"      - public_key: \"D6poTtKIZ7l/Smot7l34zpdOdrcBjj8iocTPJnhXDyA=\"\n"
	"        endpoint: \"198.18.0.2:51821\"\n"
	"        allowed_ips: [10.9.0.2/32, \"fd00:9::2/128\", 10.20.0.0/16]\n"
	"      - public_key: \"ew1H2TQn+DERYHgcfHM/2J+IlwrvSQ2KoO4ZpMuKGxQ=\"\n"
	"        preshared_key: \"REREREREREREREREREREREREREREREREREREREREREQ=\"\n"
	"        allowed_ips: [10.9.0.3/32, \"fd00:9::3/128\"]\n"
	"telemetry: false\n"
	"uapi: false\n"
	"cli_socket: \"\"\n";

/* The ports' MACs, fixed so that seeds can address the gateway. */
static const struct rte_ether_addr gw_fz_mac[2] = {
	{ .addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } },
	{ .addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } },
};
static const struct rte_ether_addr gw_fz_nb_mac = {
	.addr_bytes = { 0x02, 0xaa, 0x00, 0x00, 0x00, 0x02 } };
static const uint8_t gw_fz_gw_ip[4] = { 198, 18, 0, 1 };
static const uint8_t gw_fz_a_ip[4] = { 198, 18, 0, 2 };
#define GW_FZ_LISTEN		51820
#define GW_FZ_A_PORT		51821
#define GW_FZ_SESSION_NS	(60 * WG_NSEC_PER_SEC)
#define GW_FZ_A_OUT		8

/* Peer A: a protocol-core device and what it sent. */
struct gw_fz_peer {
	struct wg_device *dev;
	struct wg_peer *gw;		/* A's peer entry for the gateway */
	uint64_t session_ns;		/* last handshake attempt */
	unsigned int n_out;
	uint16_t out_len[GW_FZ_A_OUT];
	uint8_t out[GW_FZ_A_OUT][GW_FZ_MAX_FRAME];
	uint64_t delivered;
};

static struct gw_config gw_fz_cfg;
static struct gw_gateway *gw_fz;
static struct gw_lcore *gw_fz_lc;
static struct rte_mempool *gw_fz_pool;	/* the input frames */
static uint64_t gw_fz_vnow;		/* the neighbour table's clock */
static unsigned int gw_fz_baseline;
static bool gw_fz_trace;
static struct gw_fz_peer gw_fz_a;
static uint16_t gw_fz_ip_id;
static unsigned int gw_fz_n_static;	/* static neighbour entries */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
gw_fz_die(const char *what)
{
	fprintf(stderr, "fuzz_classify: %s\n", what);
	abort();
}

static unsigned int
gw_fz_in_use(void)
{
	unsigned int n = rte_mempool_in_use_count(gw_fz_pool);
	uint16_t p;

	for (p = 0; p < gw_fz->n_ports; p++) {
		n += rte_mempool_in_use_count(gw_fz->ports[p].pool);
		n += rte_mempool_in_use_count(gw_fz->ports[p].indirect_pool);
	}
	return n;
}

static uint64_t
gw_fz_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * WG_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* ---- peer A ---------------------------------------------------------- */

static int
gw_fz_a_send(void *ctx, struct wg_peer *peer, const struct wg_endpoint *dst,
	     const uint8_t *buf, size_t len)
{
	struct gw_fz_peer *a = ctx;

	(void)peer;
	(void)dst;
	if (a->n_out == GW_FZ_A_OUT || len > GW_FZ_MAX_FRAME - 42)
		return -ENOBUFS;
	memcpy(a->out[a->n_out], buf, len);
	a->out_len[a->n_out++] = (uint16_t)len;
	return 0;
}

static void
gw_fz_a_deliver(void *ctx, struct wg_peer *peer, uint8_t *pkt, size_t len)
{
	struct gw_fz_peer *a = ctx;

	(void)peer;
	(void)pkt;
	(void)len;
	a->delivered++;
}

/* A's datagram to the gateway's listen port, as a frame on wan. */
static struct rte_mbuf *
gw_fz_a_frame(const uint8_t *msg, uint16_t len)
{
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	struct rte_mbuf *m;

	m = rte_pktmbuf_alloc(gw_fz_pool);
	if (m == NULL)
		gw_fz_die("input pool exhausted: a leak?");
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m,
		(uint16_t)(sizeof(*eth) + sizeof(*ip) + sizeof(*udp) + len));
	if (eth == NULL)
		gw_fz_die("rte_pktmbuf_append");
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	udp = (struct rte_udp_hdr *)(ip + 1);
	eth->dst_addr = gw_fz->ports[0].mac;
	eth->src_addr = gw_fz_nb_mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) +
		sizeof(*udp) + len));
	ip->packet_id = rte_cpu_to_be_16(gw_fz_ip_id++);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	memcpy(&ip->src_addr, gw_fz_a_ip, 4);
	memcpy(&ip->dst_addr, gw_fz_gw_ip, 4);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = RTE_BE16(GW_FZ_A_PORT);
	udp->dst_port = RTE_BE16(GW_FZ_LISTEN);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + len));
	udp->dgram_cksum = 0;
	memcpy(udp + 1, msg, len);
	m->port = gw_fz->ports[0].port_id;
	return m;
}

/* What the gateway sent to A (WireGuard, from its listen port) goes to A. */
static void
gw_fz_to_a(struct rte_mbuf *m)
{
	static uint8_t buf[GW_FZ_MAX_FRAME];
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	struct wg_endpoint src;
	uint32_t len, ihl;

	if (m->nb_segs != 1 || m->data_len < sizeof(*eth) + sizeof(*ip) +
	    sizeof(*udp))
		return;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	ip = (const struct rte_ipv4_hdr *)(eth + 1);
	if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    ip->next_proto_id != IPPROTO_UDP ||
	    memcmp(&ip->dst_addr, gw_fz_a_ip, 4) != 0)
		return;
	ihl = rte_ipv4_hdr_len(ip);
	if (m->data_len < sizeof(*eth) + ihl + sizeof(*udp))
		return;
	udp = (const struct rte_udp_hdr *)((const uint8_t *)ip + ihl);
	len = m->data_len - (uint32_t)(sizeof(*eth) + ihl + sizeof(*udp));
	if (udp->src_port != RTE_BE16(GW_FZ_LISTEN) ||
	    udp->dst_port != RTE_BE16(GW_FZ_A_PORT) || len > sizeof(buf))
		return;
	memcpy(buf, udp + 1, len);
	memset(&src, 0, sizeof(src));
	src.family = AF_INET;
	src.port = GW_FZ_LISTEN;
	memcpy(src.addr, gw_fz_gw_ip, 4);
	wg_device_receive(gw_fz_a.dev, buf, len, &src, gw_fz_mono_ns(), false);
}

/*
 * Takes what the gateway transmitted off the ports' rings: every frame is
 * Ethernet from the port's MAC; WireGuard messages to A go to A.
 */
static unsigned int
gw_fz_take_tx(void)
{
	struct rte_mbuf *pkts[GW_BURST];
	const struct rte_ether_hdr *eth;
	unsigned int total = 0, n, i;
	uint16_t p;

	for (p = 0; p < gw_fz->n_ports; p++) {
		while ((n = rte_eth_rx_burst(gw_fz->ports[p].port_id, 0, pkts,
					     GW_BURST)) != 0) {
			for (i = 0; i < n; i++) {
				if (rte_pktmbuf_data_len(pkts[i]) <
				    sizeof(*eth))
					gw_fz_die("runt frame sent");
				eth = rte_pktmbuf_mtod(pkts[i],
					const struct rte_ether_hdr *);
				if (!rte_is_same_ether_addr(&eth->src_addr,
					&gw_fz->ports[p].mac))
					gw_fz_die("frame sent with a foreign source MAC");
				if (p == 0 && gw_fz_a.dev != NULL)
					gw_fz_to_a(pkts[i]);
				rte_pktmbuf_free(pkts[i]);
			}
			total += n;
		}
	}
	return total;
}

/* One iteration of gw_lcore_main() for an lcore with every role. */
static unsigned int
gw_fz_loop_once(void)
{
	unsigned int work;

	work = gw_io_poll(gw_fz_lc);
	work += gw_wg_crypto_poll(gw_fz_lc);
	work += gw_wg_control_poll(gw_fz_lc);
	rte_rcu_qsbr_quiescent(gw_fz->qsbr, gw_fz_lc->lcore_id);
	work += gw_fz_take_tx();
	return work;
}

static void
gw_fz_run_until_idle(void)
{
	unsigned int i;

	for (i = 0; i < GW_FZ_LOOP_MAX; i++)
		if (gw_fz_loop_once() == 0)
			break;
}

/* Every dynamic neighbour entry expires; what waited on one is freed. */
static void
gw_fz_age_neighbours(void)
{
	unsigned int i;

	for (i = 0; i < 16 && gw_neigh_count(gw_fz->neigh) != gw_fz_n_static;
	     i++) {
		gw_fz_vnow += 120 * gw_fz->tsc_hz;
		gw_neigh_tick(gw_fz_lc, gw_fz_vnow);
		gw_fz_run_until_idle();
	}
	if (gw_neigh_count(gw_fz->neigh) != gw_fz_n_static)
		gw_fz_die("neighbour entries survive ageing");
}

/*
 * LeakSanitizer does not scan DPDK's memory (mmap'd by EAL): heap blocks
 * referenced only from there (a peer's routes, say) would be reported as
 * leaks. Registered as a root region, they are not.
 */
static int
gw_fz_lsan_root(const struct rte_memseg_list *msl, void *arg)
{
	(void)arg;
	if (msl->base_va != NULL && msl->len != 0)
		__lsan_register_root_region(msl->base_va, msl->len);
	return 0;
}

static unsigned int
gw_fz_staged(void)
{
	return gw_fz->wgs != NULL ? gw_fz->wgs->staged_mbufs : 0;
}

/* A's messages so far, as frames into the wan port, then the loop. */
static void
gw_fz_a_feed(void)
{
	struct rte_mbuf *pkts[GW_FZ_A_OUT];
	unsigned int i, n = gw_fz_a.n_out;

	for (i = 0; i < n; i++)
		pkts[i] = gw_fz_a_frame(gw_fz_a.out[i], gw_fz_a.out_len[i]);
	gw_fz_a.n_out = 0;
	if (n != 0)
		gw_io_input(gw_fz_lc, 0, pkts, (uint16_t)n);
}

/* A initiates a handshake; it completes through the gateway's real path. */
static void
gw_fz_a_session(void)
{
	struct wg_keypair *before, *after;
	unsigned int i;

	before = wg_keypairs_current(&gw_fz_a.gw->keypairs);
	gw_fz_a.session_ns = gw_fz_mono_ns();
	wg_device_send_initiation(gw_fz_a.dev, gw_fz_a.gw, gw_fz_a.session_ns);
	for (i = 0; i < 4 && gw_fz_a.n_out != 0; i++) {
		gw_fz_a_feed();
		gw_fz_run_until_idle();
	}
	after = wg_keypairs_current(&gw_fz_a.gw->keypairs);
	if (gw_fz_trace)
		fprintf(stderr, "peer A: handshake, %s session\n",
			after == NULL ? "no" : after != before ? "new" : "old");
}

static void
gw_fz_a_create(void)
{
	struct wg_device_ops ops = {
		.send_udp = gw_fz_a_send,
		.deliver_inner = gw_fz_a_deliver,
	};
	struct wg_allowed_ip all[2] = {
		{ .family = AF_INET, .cidr = 0 },
		{ .family = AF_INET6, .cidr = 0 },
	};
	struct wg_peer_config pc;
	uint8_t key[WG_PUBLIC_KEY_LEN];
	uint64_t now = gw_fz_mono_ns();

	gw_fz_a.dev = wg_device_create(&ops, &gw_fz_a, now);
	if (gw_fz_a.dev == NULL)
		gw_fz_die("peer A: wg_device_create");
	memset(key, 0x22, sizeof(key));
	wg_device_set_private_key(gw_fz_a.dev, key, now);
	memset(&pc, 0, sizeof(pc));
	memcpy(pc.public_key, gw_fz->wgs->ifs[0].public_key,
	       WG_PUBLIC_KEY_LEN);
	pc.endpoint.family = AF_INET;
	pc.endpoint.port = GW_FZ_LISTEN;
	memcpy(pc.endpoint.addr, gw_fz_gw_ip, 4);
	pc.allowed_ips = all;
	pc.n_allowed_ips = 2;
	if (wg_device_add_peer(gw_fz_a.dev, &pc, now, &gw_fz_a.gw) != 0)
		gw_fz_die("peer A: wg_device_add_peer");
	gw_fz_a_session();
	if (wg_keypairs_current(&gw_fz_a.gw->keypairs) == NULL)
		gw_fz_die("peer A: no session with the gateway");
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/*
	 * No hugepages, no shared files, no telemetry socket: several
	 * instances (the test suite runs two at a time) and other DPDK
	 * programs can run side by side. The routing tables need -m 1024.
	 */
	char *eal[] = {
		(*argv)[0], "-l", "0", "--no-huge", "--no-pci", "--no-shconf",
		"--no-telemetry", "--file-prefix=fuzz_classify", "-m", "1024",
		"--log-level=*:crit", "--vdev=net_ring0", "--vdev=net_ring1",
		NULL,
	};
	char dir[] = "/tmp/fuzz_classify.XXXXXX", path[64], err[GW_ERR_MAX];
	uint16_t port_id;
	FILE *f;
	int i;

	(void)argc;
	gw_fz_trace = getenv("FUZZ_TRACE") != NULL;
	if (mkdtemp(dir) == NULL)
		gw_fz_die("mkdtemp");
	snprintf(path, sizeof(path), "%s/gw.yaml", dir);
	f = fopen(path, "w");
	if (f == NULL || fputs(gw_fz_yaml, f) < 0 || fclose(f) != 0)
		gw_fz_die("cannot write the configuration");
	if (gw_config_load(path, &gw_fz_cfg, err) != 0) {
		fprintf(stderr, "%s\n", err);
		gw_fz_die("configuration refused");
	}
	unlink(path);
	rmdir(dir);

	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0)
		gw_fz_die("rte_eal_init failed");
	rte_memseg_list_walk(gw_fz_lsan_root, NULL);
	/*
	 * net_ring has no MAC (all zero) and no mac_addr_set; ethdev puts an
	 * added address in the first free (all-zero) slot: the default one.
	 */
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "net_ring%d", i);
		if (rte_eth_dev_get_port_by_name(path, &port_id) != 0 ||
		    rte_eth_dev_mac_addr_add(port_id,
			(struct rte_ether_addr *)&gw_fz_mac[i], 0) != 0)
			gw_fz_die("cannot set the ports' MAC");
	}
	gw_fz = gw_gateway_create(&gw_fz_cfg, err);
	if (gw_fz == NULL) {
		fprintf(stderr, "%s\n", err);
		gw_fz_die("gw_gateway_create failed");
	}
	gw_fz_lc = gw_fz->lcores[rte_lcore_id()];
	if (gw_fz_lc == NULL || gw_fz_lc->roles != (GW_ROLE_CONTROL |
	    GW_ROLE_IO | GW_ROLE_CRYPTO))
		gw_fz_die("expected one lcore with every role");
	for (i = 0; i < 2; i++)
		if (!rte_is_same_ether_addr(&gw_fz->ports[i].mac,
					    &gw_fz_mac[i]))
			gw_fz_die("port MAC not applied");
	gw_fz_pool = rte_pktmbuf_pool_create("fz_in", 2048, 0, 0,
		GW_FZ_MAX_FRAME + RTE_PKTMBUF_HEADROOM, (int)rte_socket_id());
	if (gw_fz_pool == NULL)
		gw_fz_die("mempool");
	rte_rcu_qsbr_thread_register(gw_fz->qsbr, gw_fz_lc->lcore_id);
	rte_rcu_qsbr_thread_online(gw_fz->qsbr, gw_fz_lc->lcore_id);
	gw_wg_start(gw_fz);
	gw_reload_drop_peers(gw_fz);
	gw_fz_vnow = rte_get_tsc_cycles();
	gw_fz_n_static = gw_neigh_count(gw_fz->neigh);
	gw_fz_run_until_idle();
	gw_fz_a_create();
	gw_fz_run_until_idle();
	gw_fz_baseline = gw_fz_in_use() - gw_fz_staged();
	return 0;
}

/* FUZZ_TRACE=1: the lcore's counters after each input (debugging). */
static void
gw_fz_print_trace(unsigned int frames, unsigned int used)
{
	const struct gw_lcore_stats *st = &gw_fz_lc->stats;
	unsigned int r;

	fprintf(stderr, "frames %u: rx %" PRIu64 " tx %" PRIu64 " local %"
		PRIu64 " fwd %" PRIu64 " icmp %" PRIu64 " neigh_req %" PRIu64
		" neigh_rep %" PRIu64 " wg_hs %" PRIu64 " wg_staged %" PRIu64
		" wg_rx_data %" PRIu64 " wg_rx_keepalive %" PRIu64
		" wg_tx_data %" PRIu64 " A_delivered %" PRIu64 "; mbufs in use %u (baseline %u, staged %u)\n", frames,
		st->rx_pkts, st->tx_pkts, st->local_pkts, st->fwd_pkts,
		st->icmp_sent, st->neigh_requests, st->neigh_replies,
		st->wg_rx_handshake, st->wg_tx_staged, st->wg_rx_data,
		st->wg_rx_keepalive, st->wg_tx_data, gw_fz_a.delivered, used,
		gw_fz_baseline,
		gw_fz_staged());
	for (r = 0; r < GW_DROP_MAX; r++)
		if (st->drops[r] != 0)
			fprintf(stderr, "  drop %s: %" PRIu64 "\n",
				gw_drop_name((enum gw_drop_reason)r), st->drops[r]);
}

/* Hands the frames collected so far to the I/O stage, one port a burst. */
static void
gw_fz_flush(struct rte_mbuf **pkts, uint16_t *n, uint16_t port)
{
	if (*n == 0)
		return;
	gw_io_input(gw_fz_lc, port, pkts, *n);
	*n = 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_mbuf *pkts[GW_BURST], *m;
	size_t pos = 0, len;
	unsigned int frames = 0, used;
	uint16_t n = 0, port = 0, p;
	unsigned int i;
	uint8_t flags;
	char *buf;

	/* sessions expire: A renews its own every minute of real time */
	if (gw_fz_mono_ns() - gw_fz_a.session_ns > GW_FZ_SESSION_NS)
		gw_fz_a_session();
	/* what A answered during the previous input is not sent */
	gw_fz_a.n_out = 0;

	while (pos < size && frames < GW_FZ_MAX_FRAMES) {
		flags = data[pos++];
		len = 0;
		if (pos < size)
			len = data[pos++];
		if (pos < size)
			len |= (size_t)data[pos++] << 8;
		len %= GW_FZ_MAX_FRAME + 1;
		if (len > size - pos)
			len = size - pos;
		p = (flags & 8) ? 0 : flags & 1;
		if (n != 0 && p != port)
			gw_fz_flush(pkts, &n, port);
		port = p;

		if (flags & 8) {
			/* sealed by A: one data message (or, without a
			 * session, an initiation) */
			wg_device_send_to_peer(gw_fz_a.dev, gw_fz_a.gw,
					       data + pos, len, gw_fz_mono_ns());
			pos += len;
			for (i = 0; i < gw_fz_a.n_out && n < GW_BURST; i++)
				pkts[n++] = gw_fz_a_frame(gw_fz_a.out[i],
							  gw_fz_a.out_len[i]);
			gw_fz_a.n_out = 0;
			frames++;
			if (n == GW_BURST || (flags & 4)) {
				gw_fz_flush(pkts, &n, port);
				gw_fz_loop_once();
			}
			continue;
		}
		m = rte_pktmbuf_alloc(gw_fz_pool);
		if (m == NULL)
			gw_fz_die("input pool exhausted: a leak?");
		m->port = gw_fz->ports[port].port_id;
		buf = rte_pktmbuf_append(m, (uint16_t)len);
		if (buf == NULL)
			gw_fz_die("rte_pktmbuf_append");
		memcpy(buf, data + pos, len);
		pos += len;
		if ((flags & 2) && len >= RTE_ETHER_ADDR_LEN)
			memcpy(buf, &gw_fz->ports[port].mac, RTE_ETHER_ADDR_LEN);
		pkts[n++] = m;
		frames++;
		if (n == GW_BURST || (flags & 4)) {
			gw_fz_flush(pkts, &n, port);
			gw_fz_loop_once();
		}
	}
	gw_fz_flush(pkts, &n, port);
	gw_fz_run_until_idle();
	/* the WireGuard timers (handshake retries, staged packets' expiry) */
	gw_wg_control(gw_fz_lc, rte_get_tsc_cycles());
	gw_fz_run_until_idle();
	gw_fz_age_neighbours();

	used = gw_fz_in_use() - gw_fz_staged();
	if (gw_fz_trace)
		gw_fz_print_trace(frames, used);
	if (used != gw_fz_baseline) {
		fprintf(stderr, "fuzz_classify: %u mbufs in use, %u before\n",
			used, gw_fz_baseline);
		gw_fz_die("an mbuf was neither freed nor sent");
	}
	return 0;
}
