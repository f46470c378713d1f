// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Hashing of report values for --redact, with libcrypto (EVP): SHA-256
 * unkeyed, HMAC-SHA-256 with a key. The hash is of the raw bytes alone, with
 * no prefix of the kind mixed in: a file is the same hash as an fd's path,
 * an exe and a mapping, and an unkeyed one can be checked with sha256sum.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "redact.h"

struct redactor {
	EVP_MAC *mac; /* keyed: HMAC */
	const EVP_MD *md;
	unsigned char key[REDACT_KEY_MAX];
	size_t keylen;
};

/* What the kernel calls a file without a path: no one's data in it. */
static const char *const kernel_names[] = { "anon_inode:", "pipe:[", "socket:[" };
static const char deleted[] = " (deleted)";

/* "anon_inode:[eventfd]", "pipe:[12]": a known prefix and nothing but a
 * kernel-made word after it (a name a user chose could hide there) */
static bool is_kernel_name(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof(kernel_names) / sizeof(kernel_names[0]); i++) {
		size_t kl = strlen(kernel_names[i]);

		if (len < kl || memcmp(s, kernel_names[i], kl) != 0)
			continue;
		for (size_t j = kl; j < len; j++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789_-[]:.", s[j]) || !s[j])
				return false;
		return true;
	}
	return false;
}

static int digest(const struct redactor *r, const void *raw, size_t len,
		  unsigned char md[EVP_MAX_MD_SIZE])
{
	unsigned int mdlen = 0;
	size_t maclen = 0;
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx;
	int ok;

	if (!r->keylen)
		return EVP_Digest(raw, len, md, &mdlen, r->md, NULL) == 1 &&
		       mdlen * 2 >= REDACT_HEX_DIGITS ? 0 : -EIO;
	ctx = EVP_MAC_CTX_new(r->mac);
	if (!ctx)
		return -ENOMEM;
	params[0] = OSSL_PARAM_construct_utf8_string("digest", "SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	ok = EVP_MAC_init(ctx, r->key, r->keylen, params) == 1 &&
	     EVP_MAC_update(ctx, raw, len) == 1 &&
	     EVP_MAC_final(ctx, md, &maclen, EVP_MAX_MD_SIZE) == 1 &&
	     maclen * 2 >= REDACT_HEX_DIGITS;
	EVP_MAC_CTX_free(ctx);
	return ok ? 0 : -EIO;
}

struct redactor *redactor_new(const void *key, size_t keylen)
{
	struct redactor *r = calloc(1, sizeof(*r));
	unsigned char md[EVP_MAX_MD_SIZE];

	if (!r || keylen > REDACT_KEY_MAX)
		goto fail;
	r->md = EVP_sha256();
	if (!r->md)
		goto fail;
	if (key && keylen) {
		r->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
		if (!r->mac)
			goto fail;
		memcpy(r->key, key, keylen);
		r->keylen = keylen;
	}
	/* fail here, where the caller can stop, not in the middle of a report */
	if (digest(r, "", 0, md))
		goto fail;
	return r;
fail:
	redactor_free(r);
	return NULL;
}

void redactor_free(struct redactor *r)
{
	if (!r)
		return;
	EVP_MAC_free(r->mac);
	/* the key is a secret: do not leave it in freed memory */
	OPENSSL_cleanse(r->key, sizeof(r->key));
	free(r);
}

bool redactor_keyed(const struct redactor *r)
{
	return r && r->keylen;
}

size_t redact_value(const struct redactor *r, const char *kind, const void *raw, size_t len,
		    char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	size_t n;
	int w;

	if (!outlen)
		return 0;
	if (!r || digest(r, raw, len, md)) {
		w = snprintf(out, outlen, "%s:?", kind);
		return w < 0 ? 0 : (size_t)w < outlen ? (size_t)w : outlen - 1;
	}
	w = snprintf(out, outlen, "%s:", kind);
	if (w < 0)
		return 0;
	n = (size_t)w;
	for (size_t i = 0; i < REDACT_HEX_DIGITS / 2 && n + 2 < outlen; i++) {
		out[n++] = hex[md[i] >> 4];
		out[n++] = hex[md[i] & 15];
	}
	out[n < outlen ? n : outlen - 1] = '\0';
	return n < outlen ? n : outlen - 1;
}

size_t redact_path(const struct redactor *r, const char *path, size_t len, char *out,
		   size_t outlen)
{
	size_t n, dl = sizeof(deleted) - 1;
	bool is_deleted;

	if (!outlen)
		return 0;
	if (is_kernel_name(path, len)) {
		n = len < outlen - 1 ? len : outlen - 1;
		memcpy(out, path, n);
		out[n] = '\0';
		return n;
	}
	is_deleted = len > dl && memcmp(path + len - dl, deleted, dl) == 0;
	n = redact_value(r, REDACT_PATH, path, is_deleted ? len - dl : len, out, outlen);
	if (is_deleted && n + dl < outlen) {
		memcpy(out + n, deleted, dl + 1);
		n += dl;
	}
	return n;
}
