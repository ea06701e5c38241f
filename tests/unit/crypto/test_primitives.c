/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * libsodium wrappers against published vectors:
 *  - X25519: RFC 7748 §5.2 (two scalar/u pairs; 1 and 1000 iterations),
 *    §6.1 (Alice/Bob), and rejection of low-order points;
 *  - ChaCha20-Poly1305: RFC 8439 Appendix A.5 (its nonce 00000000 01..08
 *    is WireGuard's form with counter 0x0807060504030201);
 *  - XChaCha20-Poly1305: draft-irtf-cfrg-xchacha-03 Appendix A.3.1;
 * plus round trips, tampering (dst must not keep plaintext), the nonce
 * layout, and the compare/zero helpers.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/primitives.h"
#include "test.h"

static void
unhex32(const char *hex, uint8_t out[32])
{
	CHECK(test_unhex(hex, out, 32) == 32);
}

static bool
eq_hex(const uint8_t *got, const char *hex, size_t len)
{
	uint8_t want[512];
	size_t n = test_unhex(hex, want, sizeof(want));

	return n == len && memcmp(got, want, len) == 0;
}

static void
test_x25519_rfc7748(void)
{
	uint8_t k[32], u[32], out[32];
	unsigned int i;

	/* §5.2, first pair */
	unhex32("a546e36bf0527c9d3b16154b82465edd"
		"62144c0ac1fc5a18506a2244ba449ac4", k);
	unhex32("e6db6867583030db3594c1a424b15f7c"
		"726624ec26b3353b10a903a6d0ab1c4c", u);
	CHECK(wg_x25519(out, k, u));
	CHECK(eq_hex(out, "c3da55379de9c6908e94ea4df28d084f"
		     "32eccf03491c71f754b4075577a28552", 32));

	/* §5.2, second pair (u has its top bit set: it must be ignored) */
	unhex32("4b66e9d4d1b4673c5ad22691957d6af5"
		"c11b6421e0ea01d42ca4169e7918ba0d", k);
	unhex32("e5210f12786811d3f4b7959d0538ae2c"
		"31dbe7106fc03c3efc4cd549c715a493", u);
	CHECK(wg_x25519(out, k, u));
	CHECK(eq_hex(out, "95cbde9476e8907d7aade45cb4b873f8"
		     "8b595a68799fa152e6f8f7647aac7957", 32));

	/* §5.2 iterated: k = u = 9; each round k, u = X25519(k, u), k */
	memset(k, 0, sizeof(k));
	k[0] = 9;
	memcpy(u, k, sizeof(u));
	for (i = 1; i <= 1000; i++) {
		CHECK(wg_x25519(out, k, u));
		memcpy(u, k, sizeof(u));
		memcpy(k, out, sizeof(k));
		if (i == 1)
			CHECK(eq_hex(k, "422c8e7a6227d7bca1350b3e2bb7279f"
				     "7897b87bb6854b783c60e80311ae3079", 32));
	}
	CHECK(eq_hex(k, "684cf59ba83309552800ef566f2f4d3c"
		     "1c3887c49360e3875f2eb94d99532c51", 32));
}

static void
test_x25519_dh(void)
{
	uint8_t a_priv[32], b_priv[32], a_pub[32], b_pub[32];
	uint8_t s1[32], s2[32];

	/* RFC 7748 §6.1 */
	unhex32("77076d0a7318a57d3c16c17251b26645"
		"df4c2f87ebc0992ab177fba51db92c2a", a_priv);
	unhex32("5dab087e624a8a4b79e17f8b83800ee6"
		"6f3bb1292618b6fd1c2f8b27ff88e0eb", b_priv);
	CHECK(wg_x25519_public(a_pub, a_priv));
	CHECK(eq_hex(a_pub, "8520f0098930a754748b7ddcb43ef75a"
		     "0dbf3a0d26381af4eba4a98eaa9b4e6a", 32));
	CHECK(wg_x25519_public(b_pub, b_priv));
	CHECK(eq_hex(b_pub, "de9edb7d7b7dc1b4d35b61c2ece43537"
		     "3f8343c85b78674dadfc7e146f882b4f", 32));
	CHECK(wg_x25519(s1, a_priv, b_pub));
	CHECK(wg_x25519(s2, b_priv, a_pub));
	CHECK(eq_hex(s1, "4a5d9d5ba4ce2de1728e3bf480350f25"
		     "e07e21c947d19e3376f09b3c1e161742", 32));
	CHECK_MEM(s1, s2, 32);

	/* Generated keys: clamped, and both sides agree. */
	wg_x25519_generate_secret(a_priv);
	wg_x25519_generate_secret(b_priv);
	CHECK((a_priv[0] & 7) == 0);
	CHECK((a_priv[31] & 0x80) == 0);
	CHECK((a_priv[31] & 0x40) != 0);
	CHECK(!wg_memeq(a_priv, b_priv, 32));
	CHECK(wg_x25519_public(a_pub, a_priv));
	CHECK(wg_x25519_public(b_pub, b_priv));
	CHECK(wg_x25519(s1, a_priv, b_pub));
	CHECK(wg_x25519(s2, b_priv, a_pub));
	CHECK_MEM(s1, s2, 32);
	CHECK(!wg_is_zero(s1, 32));
}

static void
test_x25519_low_order(void)
{
	/*
	 * Points of small order (and their non-canonical encodings): any
	 * clamped scalar maps them to the all-zero shared secret.
	 */
	static const char *const low_order[] = {
		/* 0 */
		"00000000000000000000000000000000"
		"00000000000000000000000000000000",
		/* 1 */
		"01000000000000000000000000000000"
		"00000000000000000000000000000000",
		/* order 8 */
		"e0eb7a7c3b41b8ae1656e3faf19fc46a"
		"da098deb9c32b1fd866205165f49b800",
		/* order 8 */
		"5f9c95bca3508c24b1d0b1559c83ef5b"
		"04445cc4581c8e86d8224eddd09f1157",
		/* p - 1 */
		"ecffffffffffffffffffffffffffffff"
		"ffffffffffffffffffffffffffffff7f",
		/* p (= 0) */
		"edffffffffffffffffffffffffffffff"
		"ffffffffffffffffffffffffffffff7f",
		/* p + 1 (= 1) */
		"eeffffffffffffffffffffffffffffff"
		"ffffffffffffffffffffffffffffff7f",
	};
	uint8_t priv[32], pub[32], out[32];
	unsigned int i;

	wg_x25519_generate_secret(priv);
	for (i = 0; i < sizeof(low_order) / sizeof(low_order[0]); i++) {
		unhex32(low_order[i], pub);
		memset(out, 0xAA, sizeof(out));
		CHECK(!wg_x25519(out, priv, pub));
		CHECK(wg_is_zero(out, sizeof(out)));
	}
}

static void
test_aead_rfc8439_a5(void)
{
	uint8_t key[32], ad[12], pt[265], ct[265 + 16], out[265 + 16];
	const uint64_t counter = 0x0807060504030201ULL;

	unhex32("1c9240a5eb55d38af333888604f6b5f0"
		"473917c1402b80099dca5cbc207075c0", key);
	CHECK(test_unhex("f33388860000000000004e91", ad, sizeof(ad)) == sizeof(ad));
	CHECK(test_unhex(
		"496e7465726e65742d44726166747320"
		"61726520647261667420646f63756d65"
		"6e74732076616c696420666f72206120"
		"6d6178696d756d206f6620736978206d"
		"6f6e74687320616e64206d6179206265"
		"20757064617465642c207265706c6163"
		"65642c206f72206f62736f6c65746564"
		"206279206f7468657220646f63756d65"
		"6e747320617420616e792074696d652e"
		"20497420697320696e617070726f7072"
		"6961746520746f2075736520496e7465"
		"726e65742d4472616674732061732072"
		"65666572656e6365206d617465726961"
		"6c206f7220746f206369746520746865"
		"6d206f74686572207468616e20617320"
		"2fe2809c776f726b20696e2070726f67"
		"726573732e2fe2809d", pt, sizeof(pt)) == sizeof(pt));
	CHECK(test_unhex(
		"64a0861575861af460f062c79be643bd"
		"5e805cfd345cf389f108670ac76c8cb2"
		"4c6cfc18755d43eea09ee94e382d26b0"
		"bdb7b73c321b0100d4f03b7f355894cf"
		"332f830e710b97ce98c8a84abd0b9481"
		"14ad176e008d33bd60f982b1ff37c855"
		"9797a06ef4f0ef61c186324e2b350638"
		"3606907b6a7c02b0f9f6157b53c867e4"
		"b9166c767b804d46a59b5216cde7a4e9"
		"9040c5a40433225ee282a1b0a06c523e"
		"af4534d7f83fa1155b0047718cbc546a"
		"0d072b04b3564eea1b422273f548271a"
		"0bb2316053fa76991955ebd63159434e"
		"cebb4e466dae5a1073a6727627097a10"
		"49e617d91d361094fa68f0ff77987130"
		"305beaba2eda04df997b714d6c6f2c29"
		"a6ad5cb4022b02709b"
		"eead9d67890cbb22392336fea1851f38", ct, sizeof(ct)) == sizeof(ct));

	/* Decryption as in the RFC */
	memset(out, 0, sizeof(out));
	CHECK(wg_aead_decrypt(out, ct, sizeof(ct), ad, sizeof(ad), counter,
			      key));
	CHECK_MEM(out, pt, sizeof(pt));

	/* ... and encryption gives the RFC's ciphertext and tag. */
	memset(out, 0, sizeof(out));
	wg_aead_encrypt(out, pt, sizeof(pt), ad, sizeof(ad), counter, key);
	CHECK_MEM(out, ct, sizeof(ct));

	/* In place. */
	memcpy(out, ct, sizeof(ct));
	CHECK(wg_aead_decrypt(out, out, sizeof(ct), ad, sizeof(ad), counter,
			      key));
	CHECK_MEM(out, pt, sizeof(pt));
	wg_aead_encrypt(out, out, sizeof(pt), ad, sizeof(ad), counter, key);
	CHECK_MEM(out, ct, sizeof(ct));

	/* The counter is little-endian: a byte-swapped one fails. */
	memset(out, 0x55, sizeof(out));
	CHECK(!wg_aead_decrypt(out, ct, sizeof(ct), ad, sizeof(ad),
			       0x0102030405060708ULL, key));
	CHECK(wg_is_zero(out, sizeof(pt)));
}

static void
test_xaead_draft_a31(void)
{
	uint8_t key[32], nonce[24], ad[12], pt[114], ct[114 + 16];
	uint8_t out[114 + 16];

	unhex32("808182838485868788898a8b8c8d8e8f"
		"909192939495969798999a9b9c9d9e9f", key);
	CHECK(test_unhex("404142434445464748494a4b4c4d4e4f"
		"5051525354555657", nonce, sizeof(nonce)) == sizeof(nonce));
	CHECK(test_unhex("50515253c0c1c2c3c4c5c6c7", ad, sizeof(ad)) == sizeof(ad));
	CHECK(test_unhex(
		"4c616469657320616e642047656e746c"
		"656d656e206f662074686520636c6173"
		"73206f66202739393a20496620492063"
		"6f756c64206f6666657220796f75206f"
		"6e6c79206f6e652074697020666f7220"
		"746865206675747572652c2073756e73"
		"637265656e20776f756c642062652069"
		"742e", pt, sizeof(pt)) == sizeof(pt));
	CHECK(test_unhex(
		"bd6d179d3e83d43b9576579493c0e939"
		"572a1700252bfaccbed2902c21396cbb"
		"731c7f1b0b4aa6440bf3a82f4eda7e39"
		"ae64c6708c54c216cb96b72e1213b452"
		"2f8c9ba40db5d945b11b69b982c1bb9e"
		"3f3fac2bc369488f76b2383565d3fff9"
		"21f9664c97637da9768812f615c68b13"
		"b52e"
		"c0875924c1c7987947deafd8780acf49", ct, sizeof(ct)) == sizeof(ct));

	memset(out, 0, sizeof(out));
	wg_xaead_encrypt(out, pt, sizeof(pt), ad, sizeof(ad), nonce, key);
	CHECK_MEM(out, ct, sizeof(ct));

	memset(out, 0, sizeof(out));
	CHECK(wg_xaead_decrypt(out, ct, sizeof(ct), ad, sizeof(ad), nonce,
			       key));
	CHECK_MEM(out, pt, sizeof(pt));

	/* In place, then tampering. */
	memcpy(out, ct, sizeof(ct));
	CHECK(wg_xaead_decrypt(out, out, sizeof(ct), ad, sizeof(ad), nonce,
			       key));
	CHECK_MEM(out, pt, sizeof(pt));

	memcpy(out, ct, sizeof(ct));
	out[sizeof(ct) - 1] ^= 0x01;
	CHECK(!wg_xaead_decrypt(out, out, sizeof(ct), ad, sizeof(ad), nonce,
				key));
	CHECK(wg_is_zero(out, sizeof(pt)));

	nonce[23] ^= 0x80;
	memset(out, 0x55, sizeof(out));
	CHECK(!wg_xaead_decrypt(out, ct, sizeof(ct), ad, sizeof(ad), nonce,
				key));
	CHECK(wg_is_zero(out, sizeof(pt)));
	nonce[23] ^= 0x80;

	CHECK(!wg_xaead_decrypt(out, ct, WG_AEAD_TAG_LEN - 1, ad, sizeof(ad),
				nonce, key));
}

/* One failed decryption: false, and none of the plaintext left in dst. */
static void
check_rejected(const uint8_t *ct, size_t ct_len, const uint8_t *ad,
	       size_t ad_len, uint64_t counter, const uint8_t key[32])
{
	uint8_t out[1500];

	memset(out, 0x55, sizeof(out));
	CHECK(!wg_aead_decrypt(out, ct, ct_len, ad, ad_len, counter, key));
	CHECK(wg_is_zero(out, ct_len - WG_AEAD_TAG_LEN));
}

static void
test_aead_round_trip(void)
{
	static const size_t lens[] = { 0, 1, 15, 16, 17, 63, 64, 65, 1420 };
	uint8_t key[32], key2[32], ad[32];
	uint8_t pt[1420], ct[1420 + 16], out[1420 + 16];
	unsigned int i;

	wg_random_bytes(key, sizeof(key));
	memcpy(key2, key, sizeof(key2));
	key2[7] ^= 0x10;
	wg_random_bytes(ad, sizeof(ad));
	wg_random_bytes(pt, sizeof(pt));

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t len = lens[i];
		size_t ad_len = (i & 1) ? sizeof(ad) : 0;
		uint64_t counter = (uint64_t)i * 0x0101010101ULL + 1;

		wg_aead_encrypt(ct, pt, len, ad, ad_len, counter, key);
		CHECK(len < 16 || memcmp(ct, pt, len) != 0);

		memset(out, 0, sizeof(out));
		CHECK(wg_aead_decrypt(out, ct, len + 16, ad, ad_len, counter,
				      key));
		CHECK(memcmp(out, pt, len) == 0);

		/* in place both ways */
		memcpy(out, pt, len);
		wg_aead_encrypt(out, out, len, ad, ad_len, counter, key);
		CHECK(memcmp(out, ct, len + 16) == 0);
		CHECK(wg_aead_decrypt(out, out, len + 16, ad, ad_len, counter,
				      key));
		CHECK(memcmp(out, pt, len) == 0);

		/* tampered tag */
		ct[len + 15] ^= 0x80;
		check_rejected(ct, len + 16, ad, ad_len, counter, key);
		ct[len + 15] ^= 0x80;
		/* tampered ciphertext */
		if (len > 0) {
			ct[len / 2] ^= 0x01;
			check_rejected(ct, len + 16, ad, ad_len, counter, key);
			ct[len / 2] ^= 0x01;
		}
		/* tampered, missing or extra AD */
		if (ad_len > 0) {
			ad[0] ^= 0x01;
			check_rejected(ct, len + 16, ad, ad_len, counter, key);
			ad[0] ^= 0x01;
			check_rejected(ct, len + 16, NULL, 0, counter, key);
		} else {
			check_rejected(ct, len + 16, ad, 1, counter, key);
		}
		/* other counter, other key, truncated */
		check_rejected(ct, len + 16, ad, ad_len, counter + 1, key);
		check_rejected(ct, len + 16, ad, ad_len, counter, key2);
		if (len > 0)
			check_rejected(ct, len + 15, ad, ad_len, counter, key);

		/* still intact after all that */
		CHECK(wg_aead_decrypt(out, ct, len + 16, ad, ad_len, counter,
				      key));
		CHECK(memcmp(out, pt, len) == 0);
	}

	/* Too short to hold a tag. */
	CHECK(!wg_aead_decrypt(out, ct, WG_AEAD_TAG_LEN - 1, NULL, 0, 0, key));
	CHECK(!wg_aead_decrypt(out, ct, 0, NULL, 0, 0, key));
}

static void
test_helpers(void)
{
	uint8_t a[64], b[64], r1[32], r2[32];
	unsigned int i, differ = 0;
	uint32_t x, y;

	for (i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)(i * 3 + 1);
	memcpy(b, a, sizeof(b));
	CHECK(wg_memeq(a, b, sizeof(a)));
	CHECK(wg_memeq(a, b, 0));
	b[63] ^= 1;
	CHECK(!wg_memeq(a, b, sizeof(a)));
	CHECK(wg_memeq(a, b, 63));
	b[63] ^= 1;
	b[0] ^= 0x80;
	CHECK(!wg_memeq(a, b, sizeof(a)));

	memset(a, 0, sizeof(a));
	CHECK(wg_is_zero(a, sizeof(a)));
	CHECK(wg_is_zero(a, 0));
	a[40] = 1;
	CHECK(!wg_is_zero(a, sizeof(a)));
	CHECK(wg_is_zero(a, 40));

	memset(b, 0xFF, sizeof(b));
	wg_memzero(b, 10);
	CHECK(wg_is_zero(b, 10));
	CHECK(b[10] == 0xFF);
	wg_memzero(b, sizeof(b));
	CHECK(wg_is_zero(b, sizeof(b)));

	wg_random_bytes(r1, sizeof(r1));
	wg_random_bytes(r2, sizeof(r2));
	CHECK(!wg_memeq(r1, r2, sizeof(r1)));
	CHECK(!wg_is_zero(r1, sizeof(r1)));
	x = wg_random_u32();
	for (i = 0; i < 8; i++) {
		y = wg_random_u32();
		differ += x != y;
	}
	CHECK(differ > 0);
}

int
main(void)
{
	CHECK(wg_crypto_init() == 0);
	/* a second call is harmless */
	CHECK(wg_crypto_init() == 0);

	test_x25519_rfc7748();
	test_x25519_dh();
	test_x25519_low_order();
	test_aead_rfc8439_a5();
	test_xaead_draft_a31();
	test_aead_round_trip();
	test_helpers();
	TEST_MAIN_END();
}
