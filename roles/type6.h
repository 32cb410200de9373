/*
 * type6: IOS type 6 secrets ("crypto isakmp key 6 TEXT", doc/cli.md
 * "Type 6 secrets"): a key encrypted under the router's master key
 * (`key config-key password-encrypt`), in the format Cisco published:
 *
 *   K    = MD5(master key text)                    AES-128 key
 *   ka   = AES-K(salt | 0^8)                       MAC key
 *   ke   = AES-K(salt | 0^7 | 1)                   encryption key
 *   ct   = clear XOR AES-ke(block i: octet 3 = i, rest 0) ...
 *   mac  = first 4 octets of HMAC-SHA-1(ka, ct)
 *   TEXT = base41(salt(8) | ct | mac)
 *
 * base41: each 2 octets, big-endian, as 3 characters from 'A' (0) to
 * 'i' (40); a last group pads: (last octet, 0) for an odd length, (0, 1)
 * for an even one.  A pasted key from a router decrypts here under the
 * same master key, and ours on a router.
 */
#ifndef ROLES_TYPE6_H
#define ROLES_TYPE6_H

#include <stddef.h>

/* 8-octet salt + up to 127 octets + 4-octet MAC, 3 characters per 2 octets,
 * one padding group, NUL. */
#define TYPE6_TEXT_MAX 216
#define TYPE6_CLEAR_MAX 128	/* clear text with its NUL */

enum type6_err {
	TYPE6_OK = 0,
	TYPE6_MALFORMED = -1,	/* not base41, or too short/long */
	TYPE6_BAD_MAC = -2,	/* wrong master key (or altered text) */
	TYPE6_BAD_CLEAR = -3,	/* decrypts to something no key can be */
	TYPE6_FAILED = -4,	/* OpenSSL failed */
};

/* Encrypt clear (printable, < TYPE6_CLEAR_MAX) under master with a fresh
 * random salt into out (TYPE6_TEXT_MAX). */
int type6_encrypt(const char *master, const char *clear, char *out,
		  size_t outlen);
/* The same with a given 8-octet salt (known-answer tests). */
int type6_encrypt_salted(const char *master, const char *clear,
			 const unsigned char salt[8], char *out, size_t outlen);
/* Decrypt text under master into clear (TYPE6_CLEAR_MAX); the MAC is
 * checked in constant time before anything is decrypted. */
int type6_decrypt(const char *master, const char *text, char *clear,
		  size_t clearlen);

#endif
