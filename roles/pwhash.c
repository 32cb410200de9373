/*
 * pwhash: IOS type 8 and type 9 secrets through OpenSSL EVP, and the
 * two crypto-library needs of plain passwords (see roles/pwhash.h).  The salt is used as its 14 ASCII characters.
 */
#include "roles/pwhash.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "parser/type7.h"

#define PW_SALT_LEN 14
#define PW_DK_LEN 32
#define PW_ENC_LEN 43		/* 32 octets in unpadded base64 */
#define PW_PBKDF2_ROUNDS 20000
#define PW_SCRYPT_N 16384
#define PW_SCRYPT_MAXMEM (64u << 20)

static const char alphabet[] =
	"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* Base64 (standard bit order) over the IOS alphabet, no padding. */
static void
encode(const unsigned char *in, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;

		if (n > 1)
			v |= (unsigned)in[i + 1] << 8;
		if (n > 2)
			v |= in[i + 2];
		for (size_t k = 0; k <= n; k++)
			out[o++] = alphabet[(v >> (18 - 6 * k)) & 63];
	}
	out[o] = '\0';
}

static bool
in_alphabet(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\0' || strchr(alphabet, s[i]) == NULL)
			return false;
	return true;
}

static int
derive(enum pwhash_type type, const char *plain, const char *salt,
       unsigned char dk[PW_DK_LEN])
{
	size_t plen = strlen(plain);

	if (type == PWHASH_PBKDF2)
		return PKCS5_PBKDF2_HMAC(plain, (int)plen,
					 (const unsigned char *)salt,
					 PW_SALT_LEN, PW_PBKDF2_ROUNDS,
					 EVP_sha256(), PW_DK_LEN, dk) == 1
			? 0 : -1;
	if (type == PWHASH_SCRYPT)
		return EVP_PBE_scrypt(plain, plen, (const unsigned char *)salt,
				      PW_SALT_LEN, PW_SCRYPT_N, 1, 1,
				      PW_SCRYPT_MAXMEM, dk, PW_DK_LEN) == 1
			? 0 : -1;
	return -1;
}

int
pwhash_make_salted(enum pwhash_type type, const char *plain,
		   const char *salt, char out[PWHASH_MAX])
{
	unsigned char dk[PW_DK_LEN];
	int rc;

	if (strlen(salt) != PW_SALT_LEN || !in_alphabet(salt, PW_SALT_LEN))
		return -1;
	rc = derive(type, plain, salt, dk);
	if (rc == 0) {
		out[0] = '$';
		out[1] = (char)('0' + type);
		out[2] = '$';
		memcpy(out + 3, salt, PW_SALT_LEN);
		out[3 + PW_SALT_LEN] = '$';
		encode(dk, PW_DK_LEN, out + 4 + PW_SALT_LEN);
	}
	OPENSSL_cleanse(dk, sizeof(dk));
	return rc;
}

int
pwhash_make(enum pwhash_type type, const char *plain, char out[PWHASH_MAX])
{
	unsigned char rnd[PW_SALT_LEN];
	char salt[PW_SALT_LEN + 1];

	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return -1;
	for (size_t i = 0; i < PW_SALT_LEN; i++)
		salt[i] = alphabet[rnd[i] & 63];
	salt[PW_SALT_LEN] = '\0';
	return pwhash_make_salted(type, plain, salt, out);
}

bool
pwhash_valid(enum pwhash_type type, const char *s)
{
	return strlen(s) == 4 + PW_SALT_LEN + PW_ENC_LEN && s[0] == '$' &&
	       s[1] == (char)('0' + type) && s[2] == '$' &&
	       in_alphabet(s + 3, PW_SALT_LEN) && s[3 + PW_SALT_LEN] == '$' &&
	       in_alphabet(s + 4 + PW_SALT_LEN, PW_ENC_LEN);
}

bool
pwhash_verify(const char *stored, const char *plain)
{
	char salt[PW_SALT_LEN + 1], got[PWHASH_MAX];
	enum pwhash_type type;
	bool ok;

	if (pwhash_valid(PWHASH_SCRYPT, stored))
		type = PWHASH_SCRYPT;
	else if (pwhash_valid(PWHASH_PBKDF2, stored))
		type = PWHASH_PBKDF2;
	else
		return false;
	memcpy(salt, stored + 3, PW_SALT_LEN);
	salt[PW_SALT_LEN] = '\0';
	if (pwhash_make_salted(type, plain, salt, got) < 0)
		return false;
	ok = CRYPTO_memcmp(got, stored, strlen(stored)) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	return ok;
}

bool
pwhash_plain_verify(const char *stored, const char *plain)
{
	size_t n = strlen(stored);

	return n > 0 && strlen(plain) == n &&
	       CRYPTO_memcmp(stored, plain, n) == 0;
}

int
pwhash_type7(const char *plain, char out[TYPE7_TEXT_MAX])
{
	unsigned char r = 0;

	if (RAND_bytes(&r, 1) != 1)
		return -1;
	return type7_encode(plain, r % 16u, out);
}
