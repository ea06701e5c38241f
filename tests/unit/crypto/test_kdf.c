/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-wg authors
 */

/*
 * HMAC-BLAKE2s and the WireGuard KDF.
 *
 * There are no published HMAC-BLAKE2s vectors, so the expected values come
 * from an independent implementation, Python 3's hmac and hashlib modules:
 *
 *   import hashlib, hmac
 *   key = bytes((i + 1) & 0xff for i in range(keylen))
 *   msg = bytes((0xa0 + i) & 0xff for i in range(msglen))
 *   hmac.new(key, msg, hashlib.blake2s).hexdigest()
 *
 *   def kdf(ck, data):
 *       H = lambda k, m: hmac.new(k, m, hashlib.blake2s).digest()
 *       t0 = H(ck, data); t1 = H(t0, b'\x01')
 *       t2 = H(t0, t1 + b'\x02'); t3 = H(t0, t2 + b'\x03')
 *       return t1, t2, t3
 *
 * Key lengths 0, 1, 32, 64 (one block), 65 and 100 (longer than a block:
 * hashed first); message lengths around the 64-byte block boundary.
 * KDF vectors: ck = the WireGuard initial chaining key, data = 20 21 .. 3f
 * (32 bytes), and data empty.
 * The WireGuard initial chaining key and hash are the well-known values
 * (the same in wireguard-go, boringtun and the Linux driver).
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/blake2s.h"
#include "crypto/kdf.h"
#include "test.h"

struct hmac_vector {
	size_t keylen;
	size_t msglen;
	const char *mac;
};

static const struct hmac_vector hmac_vectors[] = {
	{ 0, 0,
	  "eaf4bb25938f4d20e72656bbbc7a9bf6"
	  "3c0c18537333c35bdb67db1402661acd" },
	{ 0, 1,
	  "3a1f224e5409925cdc818f2639bf7318"
	  "457b3f3522be0a007aec684ac21e0949" },
	{ 0, 63,
	  "c16fe54949784b9ded9cb0b9bf721ea3"
	  "5bef0d2e1365d1e4b5b9c35204682a59" },
	{ 0, 64,
	  "fc01748f2c4e3ae80022eccb5956f936"
	  "ed4f24fc93f2e7b8f683ef3e31efd1f5" },
	{ 0, 65,
	  "e316105ea121412ffb8b2cf13840deaf"
	  "12d1f9bb0ee90da2f25fc3ebfe5c6979" },
	{ 0, 200,
	  "8c7307016fecc0ac9960b69ef603de14"
	  "9d28e1b64502ce09e411e96e9c8b1996" },
	{ 1, 0,
	  "79425d94ebbe6cb0677d3c6ede74f6cc"
	  "21b700e140440176dd9587146f4746b3" },
	{ 1, 1,
	  "1cc0cb0159084f8234acf4b05cd70877"
	  "dc6c2c7e48e874ad1da9a917cd71c2b1" },
	{ 1, 63,
	  "7d34a0f54a2ac098ec8e58303d8e3bb6"
	  "e339dc79ca2ba4630dbf66067aa89f4f" },
	{ 1, 64,
	  "dc48884cf8b1af7b5adcc1f537aa09c6"
	  "c127ad8d6433dd0e011849e49b599c41" },
	{ 1, 65,
	  "1ce04897ed8c16ab4df7ef588fadd101"
	  "877d5b871d06dbb0bca766285ed275d5" },
	{ 1, 200,
	  "c89d485291d8bb8fa452c0df910fce53"
	  "f764d6226a8ea86563cbf561981f5188" },
	{ 32, 0,
	  "415e9b4d3980426d4035d9a83fea764b"
	  "343f7268672ebf9a667a6c308967024a" },
	{ 32, 1,
	  "e4beb413b7a720cff4da4f53ca55c070"
	  "5316a32aca8264f0d034ecb2f360d013" },
	{ 32, 63,
	  "4bc177002e449a55984827f9c7b2bf5a"
	  "780c5d162b4111a62de2e828dfd91691" },
	{ 32, 64,
	  "d754e34141dc8356acf4aa0eed7d652b"
	  "df1be739a5a0d6036aca810cf9658eae" },
	{ 32, 65,
	  "a7a7de79e0bafb3d4ac53fc8460e5abf"
	  "0ae110b75cba8c52df5d6d3c5c9a7e85" },
	{ 32, 200,
	  "381e05d6a7331190a80e2f4575aacae4"
	  "e5b22f9c59f4970694c5872c926009ec" },
	{ 64, 0,
	  "71538c31b1d4e5d3b7b03f9579904f45"
	  "ff45ec61fe737940de42ebf3747f3300" },
	{ 64, 1,
	  "0062095bb14508673a68498d21b57f0b"
	  "0554e55bb8b4048e7ffe46c940c243a3" },
	{ 64, 63,
	  "b6ca470175f925dae1dab60b636e0bd5"
	  "8875e56e1571e3a274f0f9ae446f4b70" },
	{ 64, 64,
	  "cdc2db8c41f958d3aa7241f7694f2299"
	  "bc4afb076303377c4076e85dc101166c" },
	{ 64, 65,
	  "fa48a337939105bc13d28856e8efd6ad"
	  "54e479a5b218d5d43952e83ae7b7971c" },
	{ 64, 200,
	  "1fa01bd7e4666ccf788d4729aae36588"
	  "21f011bdd6380e5a09ae81b8623143d0" },
	{ 65, 0,
	  "ba8b98351a466fbd84d17ad59e310e7e"
	  "9cff60feb25108c16b7b5383936bf9c9" },
	{ 65, 1,
	  "e5f27e2881c36383772f184472ab5e23"
	  "1563159b6e302bcd1200d52355aa4c58" },
	{ 65, 63,
	  "034f79788089702c75251c419ed31ce0"
	  "2f5410291601d4343205514690e033eb" },
	{ 65, 64,
	  "4ec78588e6d9914d4ae53d4a4c42c563"
	  "9ed5f5225044c441d6c136b0af661841" },
	{ 65, 65,
	  "9b1656f48d59e3570e43c717204aa8f7"
	  "a538d731b98b310a669cc06ebeea2290" },
	{ 65, 200,
	  "fe50cefde590e8ac3261ffaa4de84631"
	  "03204256edcae862aaa90d3290fe7ded" },
	{ 100, 0,
	  "7b1b8486d0f64dcaadd1e171e2a7c16b"
	  "d2f39c5e407dc11a31f41f1cef0547bc" },
	{ 100, 1,
	  "8612d2e1f9823445eeac57dd772d28bd"
	  "646508ac8a257c7f024c45092860b1e2" },
	{ 100, 63,
	  "91799053f220f0018b4bfaf9dfa537f6"
	  "b331327eab2de3df059447b60d29da7f" },
	{ 100, 64,
	  "8e2f429d5e58abe7aac04d215c069b94"
	  "73a7841c7257381ff7ac08686051eeee" },
	{ 100, 65,
	  "29847bb0171f167bcea34a4a5a9767b1"
	  "00dcdf14f8836c605ac46c527e547b2f" },
	{ 100, 200,
	  "e0704c722114c2059c02f443f588e038"
	  "4cc8aaf2a7a8966f290a32e15ee15891" },
};

static void
check_hex(const uint8_t *got, const char *hex, size_t len)
{
	uint8_t want[64];

	CHECK(test_unhex(hex, want, sizeof(want)) == len);
	CHECK_MEM(got, want, len);
}

static void
test_hmac(void)
{
	uint8_t key[100];
	uint8_t msg[200];
	uint8_t out[WG_BLAKE2S_HASH_SIZE];
	unsigned int i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i + 1);
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(0xa0 + i);

	for (i = 0; i < sizeof(hmac_vectors) / sizeof(hmac_vectors[0]); i++) {
		const struct hmac_vector *v = &hmac_vectors[i];

		memset(out, 0, sizeof(out));
		wg_blake2s_hmac(out, msg, v->msglen, key, v->keylen);
		check_hex(out, v->mac, sizeof(out));
	}

	/* NULL is fine for empty key and message. */
	wg_blake2s_hmac(out, NULL, 0, NULL, 0);
	check_hex(out, hmac_vectors[0].mac, sizeof(out));

	/* Output may overwrite the message. */
	{
		uint8_t buf[64];

		memcpy(buf, msg, sizeof(buf));
		wg_blake2s_hmac(buf, buf, 64, key, 32);
		check_hex(buf, "d754e34141dc8356acf4aa0eed7d652b"
			  "df1be739a5a0d6036aca810cf9658eae", 32);
	}
}

static void
test_wireguard_constants(void)
{
	static const char construction[] =
		"Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
	static const char identifier[] = "WireGuard v1 zx2c4 Jason@zx2c4.com";
	struct wg_blake2s_state s;
	uint8_t ck[32], h[32];

	wg_blake2s(ck, 32, construction, strlen(construction), NULL, 0);
	check_hex(ck, "60e26daef327efc02ec335e2a025d2d0"
		  "16eb4206f87277f52d38d1988b78cd36", 32);

	wg_blake2s_init(&s, 32, NULL, 0);
	wg_blake2s_update(&s, ck, sizeof(ck));
	wg_blake2s_update(&s, identifier, strlen(identifier));
	wg_blake2s_final(&s, h);
	check_hex(h, "2211b361081ac566691243db458ad532"
		  "2d9c6c662293e8b70ee19c65ba079ef3", 32);
}

static void
test_kdf(void)
{
	static const char *const want_data[3] = {
		"a1bb5656571db2bfe717e0e0148b7c3d"
		"3e5270adf9392b07cd20fe3d461094bd",
		"0349d890ad1d9ebbf0f4775178115686"
		"d2d91c13baf7941534c73d193ee4503d",
		"20524b5a0058dc9994bc93028b6b3000"
		"7b1e270bffa55ac5dc9a890abef958e7",
	};
	static const char *const want_empty[3] = {
		"bd968725a9177942a8c2e4253d1dde31"
		"cf7b19ec001b4a3a3d141cd9d998d3ba",
		"aab5462b323780fa615bf80ffe469510"
		"239ff361575a663968e686a7ae41d693",
		"ae1e06e0931da10b9971bab8e282b423"
		"07522b38c0f4492cdd1bf44298126887",
	};
	static const char construction[] =
		"Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
	uint8_t ck[32], data[32];
	uint8_t k1[32], k2a[32], k2b[32], k3a[32], k3b[32], k3c[32];
	uint8_t guard[32], zero[32];
	unsigned int i;

	wg_blake2s(ck, 32, construction, strlen(construction), NULL, 0);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0x20 + i);
	memset(zero, 0, sizeof(zero));

	/* KDF3 against the independent values. */
	wg_kdf(k3a, k3b, k3c, ck, data, sizeof(data));
	check_hex(k3a, want_data[0], 32);
	check_hex(k3b, want_data[1], 32);
	check_hex(k3c, want_data[2], 32);

	/* KDF1 and KDF2 are prefixes of KDF3. */
	wg_kdf(k1, NULL, NULL, ck, data, sizeof(data));
	CHECK_MEM(k1, k3a, 32);
	wg_kdf(k2a, k2b, NULL, ck, data, sizeof(data));
	CHECK_MEM(k2a, k3a, 32);
	CHECK_MEM(k2b, k3b, 32);

	/* An output after a NULL one is ignored. */
	memset(guard, 0, sizeof(guard));
	wg_kdf(k1, NULL, guard, ck, data, sizeof(data));
	CHECK_MEM(k1, k3a, 32);
	CHECK_MEM(guard, zero, 32);
	wg_kdf(NULL, guard, guard, ck, data, sizeof(data));
	CHECK_MEM(guard, zero, 32);

	/* Empty input, as in the transport key derivation. */
	wg_kdf(k3a, k3b, k3c, ck, NULL, 0);
	check_hex(k3a, want_empty[0], 32);
	check_hex(k3b, want_empty[1], 32);
	check_hex(k3c, want_empty[2], 32);

	/* The first output may overwrite the chaining key (ck = KDF(ck, x)). */
	{
		uint8_t c[32];

		memcpy(c, ck, sizeof(c));
		wg_kdf(c, k2b, NULL, c, data, sizeof(data));
		check_hex(c, want_data[0], 32);
		check_hex(k2b, want_data[1], 32);
	}
	/* ... and the data (key = KDF(ck, key)). */
	{
		uint8_t d[32];

		memcpy(d, data, sizeof(d));
		wg_kdf(k1, d, NULL, ck, d, sizeof(d));
		check_hex(k1, want_data[0], 32);
		check_hex(d, want_data[1], 32);
	}
}

int
main(void)
{
	test_hmac();
	test_wireguard_constants();
	test_kdf();
	TEST_MAIN_END();
}
