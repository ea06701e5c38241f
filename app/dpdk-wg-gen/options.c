/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <arpa/inet.h>

#include "config/config.h"
#include "options.h"

enum {
	OPT_PEERS = 256,
	OPT_SEED,
	OPT_PEERS_FILE,
	OPT_EMIT_CONFIG,
	OPT_GW_PUBLIC_KEY,
	OPT_GW_ENDPOINT,
	OPT_GW_LAN_ADDR,
	OPT_GW_WAN_MAC,
	OPT_GW_LAN_MAC,
	OPT_WAN_ADDR,
	OPT_PEER_ADDR,
	OPT_PEER_PORT,
	OPT_TUNNEL_ADDR,
	OPT_LAN_ADDR,
	OPT_WAN_PORT,
	OPT_LAN_PORT,
	OPT_DIRECTION,
	OPT_SIZE,
	OPT_RATE,
	OPT_DURATION,
	OPT_COUNT,
	OPT_WARMUP,
	OPT_TUNNEL_MTU,
	OPT_BURST,
	OPT_HS_RATE,
	OPT_HS_TIMEOUT,
	OPT_HS_TRIES,
	OPT_HS_WAIT,
	OPT_HS_ONLY,
	OPT_POOL_MB,
	OPT_VERIFY_EVERY,
	OPT_STATS_PERIOD,
	OPT_DRAIN_MS,
	OPT_PEER_STATS,
};

static const struct option gen_long_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "peers", required_argument, NULL, OPT_PEERS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "peer-key-seed", required_argument, NULL, OPT_SEED },
	{ "peers-file", required_argument, NULL, OPT_PEERS_FILE },
	{ "emit-config", required_argument, NULL, OPT_EMIT_CONFIG },
	{ "gw-public-key", required_argument, NULL, OPT_GW_PUBLIC_KEY },
	{ "gw-endpoint", required_argument, NULL, OPT_GW_ENDPOINT },
	{ "gw-lan-addr", required_argument, NULL, OPT_GW_LAN_ADDR },
	{ "gw-wan-mac", required_argument, NULL, OPT_GW_WAN_MAC },
	{ "gw-lan-mac", required_argument, NULL, OPT_GW_LAN_MAC },
	{ "wan-addr", required_argument, NULL, OPT_WAN_ADDR },
	{ "peer-addr", required_argument, NULL, OPT_PEER_ADDR },
	{ "peer-port", required_argument, NULL, OPT_PEER_PORT },
	{ "tunnel-addr", required_argument, NULL, OPT_TUNNEL_ADDR },
	{ "lan-addr", required_argument, NULL, OPT_LAN_ADDR },
	{ "wan-port", required_argument, NULL, OPT_WAN_PORT },
	{ "lan-port", required_argument, NULL, OPT_LAN_PORT },
	{ "direction", required_argument, NULL, OPT_DIRECTION },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "tunnel-mtu", required_argument, NULL, OPT_TUNNEL_MTU },
	{ "burst", required_argument, NULL, OPT_BURST },
	{ "handshake-rate", required_argument, NULL, OPT_HS_RATE },
	{ "handshake-timeout", required_argument, NULL, OPT_HS_TIMEOUT },
	{ "handshake-tries", required_argument, NULL, OPT_HS_TRIES },
	{ "handshake-wait", required_argument, NULL, OPT_HS_WAIT },
	{ "handshake-only", no_argument, NULL, OPT_HS_ONLY },
	{ "pool-mb", required_argument, NULL, OPT_POOL_MB },
	{ "verify-every", required_argument, NULL, OPT_VERIFY_EVERY },
	{ "stats-period", required_argument, NULL, OPT_STATS_PERIOD },
	{ "drain-ms", required_argument, NULL, OPT_DRAIN_MS },
	{ "peer-stats", required_argument, NULL, OPT_PEER_STATS },
	{ NULL, 0, NULL, 0 },
};

void
gen_options_usage(FILE *f, const char *prog)
{
	fprintf(f,
"Usage: %s [EAL options] -- [options]\n"
"       %s --emit-config N [--seed S] [--tunnel-addr IP]\n"
"\n"
"A traffic generator that speaks WireGuard. It emulates N peers, each with\n"
"its own X25519 key pair and outer address, in front of a WireGuard gateway\n"
"(its WAN port) and a plain host behind it (its LAN port). It performs real\n"
"Noise_IKpsk2 handshakes with the gateway (initiator role, honouring cookie\n"
"replies), then sends data and measures what comes back: rates, loss, latency,\n"
"and a sample of the packets verified (decrypted, or checked byte by byte).\n"
"\n"
"Two DPDK ports: WAN talks WireGuard to the gateway's WAN port, LAN sends and\n"
"receives clear packets to/from the gateway's LAN port (either may be left out\n"
"for one-direction tests). Any DPDK port works: net_memif, net_af_packet,\n"
"net_tap, real NICs. IPv4 only, outside and inside the tunnel.\n"
"\n"
"Peers:\n"
"  --peers N               emulated peers, 1..%u (default 1)\n"
"  --seed S                derive the peers' private keys from S (default 1;\n"
"                          alias --peer-key-seed). Deterministic: the keys are\n"
"                          public knowledge, for tests and benchmarks only\n"
"  --peers-file FILE       take the private keys from FILE instead: one peer a\n"
"                          line, \"PRIVATE_KEY_BASE64 [TUNNEL_IPV4]\", '#' starts\n"
"                          a comment; --peers N uses the first N lines\n"
"  --emit-config N         print the `peers:` block of N peers (public keys,\n"
"                          allowed IPs) for the gateway's YAML, indented to go\n"
"                          under a `wireguard:` item as in config/gw.yaml, and\n"
"                          exit. Give it the same --seed/--peers-file and\n"
"                          --tunnel-addr as the run. Needs no EAL options\n"
"\n"
"Gateway:\n"
"  --gw-public-key B64     the gateway interface's public key (required)\n"
"  --gw-endpoint IP:PORT   its WAN address and listen port\n"
"                          (default 198.18.0.1:51820)\n"
"  --gw-lan-addr IP        its LAN address: next hop of the clear traffic\n"
"                          (default 10.10.0.1)\n"
"  --gw-wan-mac MAC        static MAC of the gateway's WAN port, LAN port\n"
"  --gw-lan-mac MAC        (default: resolved with ARP, or learnt from the\n"
"                          gateway's own ARP requests)\n"
"\n"
"Addresses (the generator answers ARP for all of its own):\n"
"  --wan-addr IP           our address on the WAN link: the gateway reaches the\n"
"                          peers' outer addresses through it, e.g. with the route\n"
"                          {prefix: 100.64.0.0/10, via: 198.18.0.2}\n"
"                          (default 198.18.0.2)\n"
"  --peer-addr IP          outer source address of peer 0; peer i has IP + i\n"
"                          (default 100.64.0.1)\n"
"  --peer-port PORT        outer UDP source port of every peer (default 51820)\n"
"  --tunnel-addr IP        tunnel address of peer 0 (its allowed IP, /32); peer i\n"
"                          has IP + i (default 10.64.0.2)\n"
"  --lan-addr IP           the host emulated on the LAN side (default 10.10.0.2)\n"
"\n"
"Ports (DPDK port ids, in probe order):\n"
"  --wan-port N            WAN side (default 0; -1: none)\n"
"  --lan-port N            LAN side (default 1; -1: none)\n"
"\n"
"Traffic:\n"
"  --direction D           decrypt: encrypted by the peers, decrypted by the\n"
"                          gateway and received in clear on the LAN side;\n"
"                          encrypt: clear from the LAN host to the peers' tunnel\n"
"                          addresses, encrypted by the gateway and received on\n"
"                          the WAN side; both (default decrypt)\n"
"  --size S                INNER IPv4 PACKET SIZE in bytes (the packet inside the\n"
"                          tunnel, IPv4 header included), %u..MTU: one size\n"
"                          (64), a list sent in turn (64,576,1420), or imix\n"
"                          (7:4:1 of 64/576/1420). Default 64. On the wire a\n"
"                          packet of S bytes is a frame of 14 + S bytes on the\n"
"                          LAN side and 14 + 20 + 8 + 32 + min(S rounded up to\n"
"                          16, MTU) bytes on the WAN side\n"
"  --rate PPS              packets per second per direction, all peers together\n"
"                          (default 0: as fast as possible)\n"
"  --duration S            seconds of traffic (default 10)\n"
"  --count N               stop after N packets per direction instead\n"
"  --warmup S              seconds of traffic before counting starts (default\n"
"                          0); the counting starts once the warm-up's packets\n"
"                          came back (or --drain-ms), so that counts are exact\n"
"  --tunnel-mtu N          the gateway's tunnel MTU, for padding (default 1420)\n"
"  --burst N               packets per TX burst, 1..64 (default 32)\n"
"\n"
"Handshakes (before any data; peers are sent traffic once they completed):\n"
"  --handshake-rate R      initiations per second, retries included\n"
"                          (default 1000)\n"
"  --handshake-timeout S   retry an unanswered initiation after S seconds\n"
"                          (default 5, REKEY_TIMEOUT); a cookie reply is\n"
"                          honoured at once: the next initiation carries mac2\n"
"  --handshake-tries N     give a peer up after N initiations (default 18)\n"
"  --handshake-wait S      stop waiting for handshakes after S seconds and go on\n"
"                          with the peers that completed (default 120)\n"
"  --handshake-only        stop once the handshakes are done\n"
"\n"
"Measurement:\n"
"  --pool-mb M             memory for the packets encrypted in advance\n"
"                          (decrypt direction), default 512. The pool is\n"
"                          filled before the traffic starts, each packet with\n"
"                          its own fresh counter, and again after the warm-up;\n"
"                          while measuring, sent packets are re-encrypted (new\n"
"                          counters) only when the port pushes back or the\n"
"                          pool is three quarters empty. Reported:\n"
"                          'pool empty' (the time the generator had nothing\n"
"                          ready: it, not the gateway, was the limit) and 'TX\n"
"                          ring full' (the time the port refused packets: the\n"
"                          gateway or the link was the limit)\n"
"  --verify-every N        verify one received packet in N (default 16): the\n"
"                          payload pattern and headers (decrypt direction), or\n"
"                          the AEAD with the session key, then the payload\n"
"                          (encrypt direction; latency is measured on these)\n"
"  --stats-period S        statistics every S seconds (default 1; 0: final only)\n"
"  --drain-ms MS           wait at most that long for packets in flight after\n"
"                          the last one sent, and after the warm-up (default\n"
"                          500)\n"
"  --peer-stats FILE       write per-peer counters there at the end\n"
"  -h, --help              this text\n"
"\n"
"Output: periodic statistics, final statistics, then as the last line one JSON\n"
"object. Gbit/s are given twice: \"l3\" counts inner IPv4 packet bytes,\n"
"\"wire\" counts Ethernet frames as DPDK counts them (headers included; no\n"
"preamble, FCS or inter-frame gap). Latency: TSC at transmission to TSC at\n"
"reception, from a sequence number and timestamp inside the inner payload.\n"
"Exit status: 0; 1 if no handshake completed or an error occurred; 2 for a\n"
"usage error.\n"
"\n"
"Example over memif, the gateway (dpdk-wg) being the memif server:\n"
"  %s -l 0 --in-memory --no-pci \\\n"
"    --vdev=net_memif0,role=client,socket=/run/dpdk-wg-bench/wan.sock,"
"socket-abstract=no,id=0 \\\n"
"    --vdev=net_memif1,role=client,socket=/run/dpdk-wg-bench/lan.sock,"
"socket-abstract=no,id=0 \\\n"
"    -- --peers 10000 --gw-public-key KEY --direction both --size imix\n",
		prog, prog, GEN_MAX_PEERS, GEN_MIN_SIZE, prog);
}

const char *
gen_direction_name(unsigned int direction)
{
	switch (direction) {
	case GEN_DIR_DECRYPT:
		return "decrypt";
	case GEN_DIR_ENCRYPT:
		return "encrypt";
	case GEN_DIR_BOTH:
		return "both";
	default:
		return "none";
	}
}

static int
gen_opt_err(const char *opt, const char *arg, const char *why)
{
	fprintf(stderr, "dpdk-wg-gen: --%s '%s': %s\n", opt, arg, why);
	return -1;
}

static int
gen_parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max,
	      uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (*s < '0' || *s > '9')
		return gen_opt_err(opt, s, "not a decimal number");
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return gen_opt_err(opt, s, "not a decimal number");
	if (x < min || x > max) {
		fprintf(stderr, "dpdk-wg-gen: --%s '%s': out of range %llu..%llu\n",
			opt, s, (unsigned long long)min,
			(unsigned long long)max);
		return -1;
	}
	*v = x;
	return 0;
}

static int
gen_parse_double(const char *opt, const char *s, double min, double max,
		 double *v)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(x))
		return gen_opt_err(opt, s, "not a number");
	if (x < min || x > max) {
		fprintf(stderr, "dpdk-wg-gen: --%s '%s': out of range %g..%g\n",
			opt, s, min, max);
		return -1;
	}
	*v = x;
	return 0;
}

static int
gen_parse_int_port(const char *opt, const char *s, int *v)
{
	uint64_t x;

	if (strcmp(s, "-1") == 0) {
		*v = -1;
		return 0;
	}
	if (gen_parse_u64(opt, s, 0, 1023, &x) != 0)
		return -1;
	*v = (int)x;
	return 0;
}

static int
gen_parse_ip4(const char *opt, const char *s, uint32_t *ip)
{
	struct gw_sockaddr sa;

	if (gw_parse_addr(s, &sa) != 0 || sa.family != AF_INET)
		return gen_opt_err(opt, s, "not an IPv4 address");
	memcpy(ip, sa.addr, 4);
	return 0;
}

static int
gen_parse_mac(const char *opt, const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6)
		return gen_opt_err(opt, s, "not a MAC address aa:bb:cc:dd:ee:ff");
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	if (mac[0] & 1)
		return gen_opt_err(opt, s, "a multicast MAC address");
	return 0;
}

static int
gen_parse_sizes(struct gen_options *o, const char *s)
{
	static const uint16_t imix[] = { 64, 576, 64, 1420, 64, 576, 64, 64,
					 576, 64, 576, 64 };
	char buf[256], *tok, *save = NULL;
	uint64_t v;

	if (strcmp(s, "imix") == 0) {
		/* 7:4:1, interleaved in a fixed order */
		memcpy(o->sizes, imix, sizeof(imix));
		o->n_sizes = sizeof(imix) / sizeof(imix[0]);
		o->imix = true;
		return 0;
	}
	if (strlen(s) >= sizeof(buf))
		return gen_opt_err("size", s, "too long");
	snprintf(buf, sizeof(buf), "%s", s);
	o->n_sizes = 0;
	o->imix = false;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (o->n_sizes == GEN_MAX_SIZES)
			return gen_opt_err("size", s, "more than 16 sizes");
		if (gen_parse_u64("size", tok, GEN_MIN_SIZE, 9000, &v) != 0)
			return -1;
		o->sizes[o->n_sizes++] = (uint16_t)v;
	}
	if (o->n_sizes == 0)
		return gen_opt_err("size", s, "no size");
	return 0;
}

static void
gen_options_defaults(struct gen_options *o)
{
	memset(o, 0, sizeof(*o));
	o->n_peers = 1;
	o->seed = 1;
	o->gw_wan_ip = htonl(0xc6120001);	/* 198.18.0.1 */
	o->gw_port = 51820;
	o->gw_lan_ip = htonl(0x0a0a0001);	/* 10.10.0.1 */
	o->wan_ip = htonl(0xc6120002);		/* 198.18.0.2 */
	o->peer_ip = htonl(0x64400001);		/* 100.64.0.1 */
	o->peer_port = 51820;
	o->tunnel_ip = htonl(0x0a400002);	/* 10.64.0.2 */
	o->lan_ip = htonl(0x0a0a0002);		/* 10.10.0.2 */
	o->wan_port = 0;
	o->lan_port = 1;
	o->direction = GEN_DIR_DECRYPT;
	o->sizes[0] = 64;
	o->n_sizes = 1;
	o->duration = 10;
	o->tunnel_mtu = GEN_DEFAULT_MTU;
	o->burst = 32;
	o->hs_rate = 1000;
	o->hs_timeout = 5;
	o->hs_tries = 18;
	o->hs_wait = 120;
	o->pool_mb = 512;
	o->verify_every = 16;
	o->stats_period = 1;
	o->drain_ms = 500;
}

static int
gen_options_check(struct gen_options *o)
{
	unsigned int i;
	uint32_t n = o->emit_config != 0 ? o->emit_config : o->n_peers;

	/* consecutive address ranges must not wrap around */
	if ((uint64_t)ntohl(o->tunnel_ip) + n > UINT32_MAX ||
	    (uint64_t)ntohl(o->peer_ip) + n > UINT32_MAX) {
		fprintf(stderr, "dpdk-wg-gen: %u peers do not fit after "
			"--tunnel-addr/--peer-addr\n", n);
		return -1;
	}
	if (o->emit_config != 0 || o->help)
		return 0;
	if (!o->has_gw_public_key) {
		fprintf(stderr, "dpdk-wg-gen: --gw-public-key is required "
			"(see --help)\n");
		return -1;
	}
	if (o->wan_port < 0) {
		fprintf(stderr, "dpdk-wg-gen: the WAN port is required: "
			"handshakes go through it\n");
		return -1;
	}
	if (o->wan_port == o->lan_port) {
		fprintf(stderr, "dpdk-wg-gen: --wan-port and --lan-port are the "
			"same port\n");
		return -1;
	}
	if ((o->direction & GEN_DIR_ENCRYPT) && o->lan_port < 0) {
		fprintf(stderr, "dpdk-wg-gen: --direction %s needs a LAN port\n",
			gen_direction_name(o->direction));
		return -1;
	}
	for (i = 0; i < o->n_sizes; i++)
		if (o->sizes[i] > o->tunnel_mtu) {
			fprintf(stderr, "dpdk-wg-gen: --size %u is larger than "
				"the tunnel MTU %u\n", o->sizes[i],
				o->tunnel_mtu);
			return -1;
		}
	return 0;
}

int
gen_options_parse(struct gen_options *o, int argc, char **argv)
{
	struct gw_sockaddr sa;
	const char *name;
	uint64_t v;
	int c, idx;

	gen_options_defaults(o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", gen_long_options,
				&idx)) != -1) {
		name = c >= OPT_PEERS ? gen_long_options[idx].name : "";
		switch (c) {
		case 'h':
			o->help = true;
			return 0;
		case OPT_PEERS:
			if (gen_parse_u64(name, optarg, 1, GEN_MAX_PEERS, &v))
				return -1;
			o->n_peers = (uint32_t)v;
			break;
		case OPT_SEED:
			if (gen_parse_u64(name, optarg, 0, UINT64_MAX, &v))
				return -1;
			o->seed = v;
			break;
		case OPT_PEERS_FILE:
			o->peers_file = optarg;
			break;
		case OPT_EMIT_CONFIG:
			if (gen_parse_u64(name, optarg, 1, GEN_MAX_PEERS, &v))
				return -1;
			o->emit_config = (uint32_t)v;
			break;
		case OPT_GW_PUBLIC_KEY:
			if (gw_parse_key_base64(optarg, o->gw_public_key) != 0)
				return gen_opt_err(name, optarg,
						   "not a base64 key of 32 bytes");
			o->has_gw_public_key = true;
			break;
		case OPT_GW_ENDPOINT:
			if (gw_parse_sockaddr(optarg, &sa) != 0 ||
			    sa.family != AF_INET)
				return gen_opt_err(name, optarg,
						   "not IPV4:PORT");
			memcpy(&o->gw_wan_ip, sa.addr, 4);
			o->gw_port = sa.port;
			break;
		case OPT_GW_LAN_ADDR:
			if (gen_parse_ip4(name, optarg, &o->gw_lan_ip))
				return -1;
			break;
		case OPT_GW_WAN_MAC:
			if (gen_parse_mac(name, optarg, o->gw_wan_mac))
				return -1;
			o->has_gw_wan_mac = true;
			break;
		case OPT_GW_LAN_MAC:
			if (gen_parse_mac(name, optarg, o->gw_lan_mac))
				return -1;
			o->has_gw_lan_mac = true;
			break;
		case OPT_WAN_ADDR:
			if (gen_parse_ip4(name, optarg, &o->wan_ip))
				return -1;
			break;
		case OPT_PEER_ADDR:
			if (gen_parse_ip4(name, optarg, &o->peer_ip))
				return -1;
			break;
		case OPT_PEER_PORT:
			if (gen_parse_u64(name, optarg, 1, 65535, &v))
				return -1;
			o->peer_port = (uint16_t)v;
			break;
		case OPT_TUNNEL_ADDR:
			if (gen_parse_ip4(name, optarg, &o->tunnel_ip))
				return -1;
			break;
		case OPT_LAN_ADDR:
			if (gen_parse_ip4(name, optarg, &o->lan_ip))
				return -1;
			break;
		case OPT_WAN_PORT:
			if (gen_parse_int_port(name, optarg, &o->wan_port))
				return -1;
			break;
		case OPT_LAN_PORT:
			if (gen_parse_int_port(name, optarg, &o->lan_port))
				return -1;
			break;
		case OPT_DIRECTION:
			if (strcmp(optarg, "decrypt") == 0)
				o->direction = GEN_DIR_DECRYPT;
			else if (strcmp(optarg, "encrypt") == 0)
				o->direction = GEN_DIR_ENCRYPT;
			else if (strcmp(optarg, "both") == 0)
				o->direction = GEN_DIR_BOTH;
			else
				return gen_opt_err(name, optarg,
					"expected decrypt, encrypt or both");
			break;
		case OPT_SIZE:
			if (gen_parse_sizes(o, optarg) != 0)
				return -1;
			break;
		case OPT_RATE:
			if (gen_parse_double(name, optarg, 0, 1e9, &o->rate))
				return -1;
			break;
		case OPT_DURATION:
			if (gen_parse_double(name, optarg, 0.01, 1e6,
					     &o->duration))
				return -1;
			break;
		case OPT_COUNT:
			if (gen_parse_u64(name, optarg, 1, UINT64_MAX / 2,
					  &o->count))
				return -1;
			break;
		case OPT_WARMUP:
			if (gen_parse_double(name, optarg, 0, 3600,
					     &o->warmup))
				return -1;
			break;
		case OPT_TUNNEL_MTU:
			if (gen_parse_u64(name, optarg, GEN_MIN_SIZE, 9000, &v))
				return -1;
			o->tunnel_mtu = (uint16_t)v;
			break;
		case OPT_BURST:
			if (gen_parse_u64(name, optarg, 1, 64, &v))
				return -1;
			o->burst = (unsigned int)v;
			break;
		case OPT_HS_RATE:
			if (gen_parse_double(name, optarg, 0.1, 1e7,
					     &o->hs_rate))
				return -1;
			break;
		case OPT_HS_TIMEOUT:
			if (gen_parse_double(name, optarg, 0.05, 3600,
					     &o->hs_timeout))
				return -1;
			break;
		case OPT_HS_TRIES:
			if (gen_parse_u64(name, optarg, 1, 1000, &v))
				return -1;
			o->hs_tries = (unsigned int)v;
			break;
		case OPT_HS_WAIT:
			if (gen_parse_double(name, optarg, 0.1, 86400,
					     &o->hs_wait))
				return -1;
			break;
		case OPT_HS_ONLY:
			o->hs_only = true;
			break;
		case OPT_POOL_MB:
			if (gen_parse_u64(name, optarg, 1, 1 << 20, &o->pool_mb))
				return -1;
			break;
		case OPT_VERIFY_EVERY:
			if (gen_parse_u64(name, optarg, 1, 1 << 30, &v))
				return -1;
			o->verify_every = (unsigned int)v;
			break;
		case OPT_STATS_PERIOD:
			if (gen_parse_double(name, optarg, 0, 3600,
					     &o->stats_period))
				return -1;
			break;
		case OPT_DRAIN_MS:
			if (gen_parse_u64(name, optarg, 0, 60000, &v))
				return -1;
			o->drain_ms = (unsigned int)v;
			break;
		case OPT_PEER_STATS:
			o->peer_stats_file = optarg;
			break;
		case ':':
			fprintf(stderr, "dpdk-wg-gen: option '%s' needs a value\n",
				argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "dpdk-wg-gen: unknown option '%s' "
				"(see --help)\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dpdk-wg-gen: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	return gen_options_check(o);
}
