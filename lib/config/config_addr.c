/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * Addresses as the configuration writes them: prefixes "ADDRESS/LENGTH",
 * bare addresses, endpoints "ip:port" and "[ip6]:port", MAC addresses
 * "aa:bb:cc:dd:ee:ff", and the prefix arithmetic the validation needs.
 * Only literals: nothing here resolves host names.
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "config_priv.h"

static const char gw_not_an_address[] = "not an IPv4 or IPv6 address";

/* s[0..n) as a literal address; returns the family or 0. */
static uint8_t
gw_addr_from(const char *s, size_t n, uint8_t addr[16])
{
	char buf[INET6_ADDRSTRLEN + 1];

	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, buf, addr) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, buf, addr) == 1)
		return AF_INET6;
	memset(addr, 0, 16);
	return 0;
}

/* Decimal digits only, at most max_digits of them; -1 otherwise. */
static long
gw_decimal(const char *s, unsigned int max_digits)
{
	unsigned long v = 0;
	unsigned int n;

	for (n = 0; s[n] != '\0'; n++) {
		if (s[n] < '0' || s[n] > '9' || n == max_digits)
			return -1;
		v = v * 10 + (unsigned long)(s[n] - '0');
	}
	return n == 0 ? -1 : (long)v;
}

static unsigned int
gw_family_bits(uint8_t family)
{
	return family == AF_INET ? 32 : 128;
}

const char *
gw_cfg_parse_prefix(const char *s, struct gw_prefix *p)
{
	const char *slash = strchr(s, '/');
	long len;

	memset(p, 0, sizeof(*p));
	if (slash == NULL)
		return "missing /length (write 10.0.0.1/32 for a single address)";
	p->family = gw_addr_from(s, (size_t)(slash - s), p->addr);
	if (p->family == 0)
		return gw_not_an_address;
	len = gw_decimal(slash + 1, 3);
	if (len < 0) {
		memset(p, 0, sizeof(*p));
		return "the prefix length is not a number";
	}
	if ((unsigned long)len > gw_family_bits(p->family)) {
		const char *why = p->family == AF_INET ?
			"the prefix length is larger than 32" :
			"the prefix length is larger than 128";

		memset(p, 0, sizeof(*p));
		return why;
	}
	p->len = (uint8_t)len;
	return NULL;
}

const char *
gw_cfg_parse_addr(const char *s, struct gw_sockaddr *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (strchr(s, '/') != NULL)
		return "expected a bare address, without /length";
	sa->family = gw_addr_from(s, strlen(s), sa->addr);
	return sa->family == 0 ? gw_not_an_address : NULL;
}

const char *
gw_cfg_parse_endpoint(const char *s, struct gw_sockaddr *sa)
{
	const char *host = s, *colon;
	size_t host_len;
	long port;

	memset(sa, 0, sizeof(*sa));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL)
			return "missing ']' after the IPv6 address";
		host = s + 1;
		host_len = (size_t)(close - host);
		if (close[1] != ':')
			return "missing :port after ']'";
		colon = close + 1;
		sa->family = gw_addr_from(host, host_len, sa->addr);
		if (sa->family != AF_INET6) {
			memset(sa, 0, sizeof(*sa));
			return "not an IPv6 address inside [ ]";
		}
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return "missing :port";
		host_len = (size_t)(colon - host);
		if (memchr(host, ':', host_len) != NULL)
			return "an IPv6 endpoint needs brackets: [2001:db8::1]:51820";
		sa->family = gw_addr_from(host, host_len, sa->addr);
		if (sa->family != AF_INET) {
			memset(sa, 0, sizeof(*sa));
			return "not an IPv4 address (host names are not resolved)";
		}
	}
	port = gw_decimal(colon + 1, 5);
	if (port < 1 || port > 65535) {
		memset(sa, 0, sizeof(*sa));
		return port < 0 ? "the port is not a number" :
			"the port must be 1..65535";
	}
	sa->port = (uint16_t)port;
	return NULL;
}

static int
gw_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

const char *
gw_cfg_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int i;

	memset(mac, 0, 6);
	if (strlen(s) != 17)
		return "expected six hex bytes as aa:bb:cc:dd:ee:ff";
	for (i = 0; i < 6; i++) {
		int hi = gw_hex(s[3 * i]), lo = gw_hex(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':')) {
			memset(mac, 0, 6);
			return "expected six hex bytes as aa:bb:cc:dd:ee:ff";
		}
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	if (mac[0] & 1)
		return "a multicast MAC address cannot be a neighbor";
	if ((mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0)
		return "the all-zero MAC address cannot be a neighbor";
	return NULL;
}

/* Are the first bits of a and b equal? */
static bool
gw_bits_equal(const uint8_t *a, const uint8_t *b, unsigned int bits)
{
	unsigned int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[bytes] ^ b[bytes]) & (uint8_t)(0xff00u >> rest)) == 0;
}

/* Host part all zeros (ones == false) or all ones (ones == true)? */
static bool
gw_host_part_is(const struct gw_prefix *p, bool ones)
{
	unsigned int bits = gw_family_bits(p->family), i;

	for (i = p->len; i < bits; i++) {
		bool bit = (p->addr[i / 8] >> (7 - i % 8)) & 1;

		if (bit != ones)
			return false;
	}
	return true;
}

/* Why a host address cannot be used as a unicast address, or NULL. */
static const char *
gw_check_unicast(uint8_t family, const uint8_t *a)
{
	static const uint8_t zero[16], loop6[16] = { [15] = 1 };

	if (family == AF_INET) {
		if (memcmp(a, zero, 4) == 0)
			return "is the unspecified address";
		if (a[0] == 127)
			return "is a loopback address";
		if (a[0] >= 224 && a[0] <= 239)
			return "is a multicast address";
		if (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255)
			return "is the broadcast address";
		return NULL;
	}
	if (memcmp(a, zero, 16) == 0)
		return "is the unspecified address";
	if (memcmp(a, loop6, 16) == 0)
		return "is the loopback address";
	if (a[0] == 0xff)
		return "is a multicast address";
	return NULL;
}

const char *
gw_cfg_check_ifaddr(const struct gw_prefix *p)
{
	const char *why = gw_check_unicast(p->family, p->addr);

	if (why != NULL)
		return why;
	if (p->len == 0)
		return "has prefix length 0, which is not an interface subnet";
	if (p->family == AF_INET && p->len <= 30) {
		if (gw_host_part_is(p, false))
			return "is the network address of its subnet";
		if (gw_host_part_is(p, true))
			return "is the broadcast address of its subnet";
	}
	return NULL;
}

const char *
gw_cfg_check_host(const struct gw_sockaddr *sa)
{
	return gw_check_unicast(sa->family, sa->addr);
}

/* A peer may sit on loopback (tests over a plain UDP socket). */
const char *
gw_cfg_check_endpoint(const struct gw_sockaddr *sa)
{
	const char *why = gw_check_unicast(sa->family, sa->addr);

	if (why != NULL && strstr(why, "loopback") != NULL)
		return NULL;
	return why;
}

bool
gw_cfg_prefix_has_host_bits(const struct gw_prefix *p)
{
	return !gw_host_part_is(p, false);
}

void
gw_cfg_prefix_mask(struct gw_prefix *p)
{
	unsigned int i;

	for (i = p->len; i < 128; i++)
		p->addr[i / 8] &= (uint8_t)~(1u << (7 - i % 8));
}

bool
gw_cfg_prefix_contains(const struct gw_prefix *p, uint8_t family,
		       const uint8_t *addr)
{
	return p->family == family && gw_bits_equal(p->addr, addr, p->len);
}

bool
gw_cfg_prefix_overlap(const struct gw_prefix *a, const struct gw_prefix *b)
{
	return a->family == b->family &&
		gw_bits_equal(a->addr, b->addr, a->len < b->len ? a->len : b->len);
}

const char *
gw_cfg_fmt_addr(uint8_t family, const uint8_t *addr, char *buf, size_t size)
{
	if (inet_ntop(family == AF_INET ? AF_INET : AF_INET6, addr, buf,
		      (socklen_t)size) == NULL)
		snprintf(buf, size, "?");
	return buf;
}

const char *
gw_cfg_fmt_prefix(const struct gw_prefix *p, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	snprintf(buf, size, "%s/%u", gw_cfg_fmt_addr(p->family, p->addr, a,
						     sizeof(a)), p->len);
	return buf;
}

int
gw_parse_prefix(const char *s, struct gw_prefix *p)
{
	return gw_cfg_parse_prefix(s, p) == NULL ? 0 : -1;
}

int
gw_parse_sockaddr(const char *s, struct gw_sockaddr *sa)
{
	return gw_cfg_parse_endpoint(s, sa) == NULL ? 0 : -1;
}

int
gw_parse_addr(const char *s, struct gw_sockaddr *sa)
{
	return gw_cfg_parse_addr(s, sa) == NULL ? 0 : -1;
}
