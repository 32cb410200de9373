/*
 * IOS type 6 secrets (roles/type6.c): the published router vectors
 * decrypt, our encoder writes the router's text octet for octet, ours
 * round-trip, and every bad text is refused with its reason.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "roles/type6.h"

/* A key a router printed, master key and key both "Cisco123" (the
 * example of Cisco's published encoder), and one from a decoder built
 * on it. */
#define V1_TEXT "fe_a`iJYE\\DZYJhDhTP[`MYaTgRH_MAAB"
#define V2_TEXT "XOUDEUYHeLGdB`UAZKX\\GK[iEgCWMZXEXN^dTGZ[UAAAB"

START_TEST(test_router_vectors)
{
	char clear[TYPE6_CLEAR_MAX];

	ck_assert_int_eq(type6_decrypt("Cisco123", V1_TEXT, clear,
				       sizeof(clear)), TYPE6_OK);
	ck_assert_str_eq(clear, "Cisco123");
	ck_assert_int_eq(type6_decrypt("mySecretMasterkey", V2_TEXT, clear,
				       sizeof(clear)), TYPE6_OK);
	ck_assert_str_eq(clear, "mySecretPassword");
}
END_TEST

/* The salt is the first 12 characters (4 groups of 3 for 8 octets). */
static void
salt_of(const char *text, uint8_t salt[8])
{
	for (int g = 0; g < 4; g++) {
		const char *p = text + 3 * g;
		unsigned v = (unsigned)((p[0] - 'A') * 1681 + (p[1] - 'A') * 41 +
					(p[2] - 'A'));

		salt[2 * g] = (uint8_t)(v >> 8);
		salt[2 * g + 1] = (uint8_t)v;
	}
}

START_TEST(test_encrypt_matches_router)
{
	uint8_t salt[8];
	char text[TYPE6_TEXT_MAX];

	salt_of(V1_TEXT, salt);
	ck_assert_int_eq(type6_encrypt_salted("Cisco123", "Cisco123", salt,
					      text, sizeof(text)), TYPE6_OK);
	ck_assert_str_eq(text, V1_TEXT);
}
END_TEST

/* Every length a key may have, odd and even: fresh salts, round trip. */
START_TEST(test_round_trip_lengths)
{
	char key[TYPE6_CLEAR_MAX], text[TYPE6_TEXT_MAX], clear[TYPE6_CLEAR_MAX];
	char again[TYPE6_TEXT_MAX];

	for (size_t len = 1; len < TYPE6_CLEAR_MAX; len++) {
		for (size_t i = 0; i < len; i++)
			key[i] = (char)('!' + (i * 7 + len) % 94);
		key[len] = '\0';
		ck_assert_int_eq(type6_encrypt("master-key-1", key, text,
					       sizeof(text)), TYPE6_OK);
		ck_assert_int_eq(strlen(text), (8 + len + 4) / 2 * 3 + 3);
		ck_assert_int_eq(type6_decrypt("master-key-1", text, clear,
					       sizeof(clear)), TYPE6_OK);
		ck_assert_str_eq(clear, key);
		ck_assert_int_eq(type6_encrypt("master-key-1", key, again,
					       sizeof(again)), TYPE6_OK);
		ck_assert_str_ne(again, text);	/* a fresh salt each time */
	}
}
END_TEST

START_TEST(test_bad_texts)
{
	char clear[TYPE6_CLEAR_MAX] = "untouched", t[TYPE6_TEXT_MAX];
	char big[400];

	/* wrong master key: the MAC says so before anything is decrypted */
	ck_assert_int_eq(type6_decrypt("Cisco124", V1_TEXT, clear,
				       sizeof(clear)), TYPE6_BAD_MAC);
	ck_assert_str_eq(clear, "untouched");
	/* every single character changed to another base41 one */
	for (size_t i = 0; i < strlen(V1_TEXT); i++) {
		snprintf(t, sizeof(t), "%s", V1_TEXT);
		t[i] = t[i] == 'A' ? 'B' : 'A';
		ck_assert_int_ne(type6_decrypt("Cisco123", t, clear,
					       sizeof(clear)), TYPE6_OK);
	}
	/* not base41, not whole groups, too short, over 65535, bad pad */
	ck_assert_int_eq(type6_decrypt("Cisco123", "X", clear, sizeof(clear)),
			 TYPE6_MALFORMED);
	ck_assert_int_eq(type6_decrypt("Cisco123", "", clear, sizeof(clear)),
			 TYPE6_MALFORMED);
	ck_assert_int_eq(type6_decrypt("Cisco123", "fe_a`iJYE\\DZYJhDhTP[`MYa"
				       "TgRH_MAA", clear, sizeof(clear)),
			 TYPE6_MALFORMED);
	ck_assert_int_eq(type6_decrypt("Cisco123", "fe_a`iJYE\\DZYJhDhTP[`MYa"
				       "TgRH_Mj!B", clear, sizeof(clear)),
			 TYPE6_MALFORMED);
	ck_assert_int_eq(type6_decrypt("Cisco123", "AAAAAAAAAAAAAAB",
				       clear, sizeof(clear)), TYPE6_MALFORMED);
	ck_assert_int_eq(type6_decrypt("Cisco123", "iiiAAAAAAAAAAAAAAAAAAB",
				       clear, sizeof(clear)), TYPE6_MALFORMED);
	ck_assert_int_eq(type6_decrypt("Cisco123", "fe_a`iJYE\\DZYJhDhTP[`MYa"
				       "TgRH_MAAC", clear, sizeof(clear)),
			 TYPE6_MALFORMED);
	memset(big, 'B', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(type6_decrypt("Cisco123", big, clear, sizeof(clear)),
			 TYPE6_MALFORMED);
	/* clear text no key can be: empty, too long, control characters */
	ck_assert_int_eq(type6_encrypt("m", "", t, sizeof(t)), TYPE6_BAD_CLEAR);
	ck_assert_int_eq(type6_encrypt("m", big, t, sizeof(t)),
			 TYPE6_BAD_CLEAR);
	ck_assert_int_eq(type6_encrypt("master-key", "a\tb", t, sizeof(t)),
			 TYPE6_OK);
	ck_assert_int_eq(type6_decrypt("master-key", t, clear, sizeof(clear)),
			 TYPE6_BAD_CLEAR);
	ck_assert_str_eq(clear, "untouched");
}
END_TEST

Suite *
suite_type6(void)
{
	Suite *s = suite_create("type6");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, test_router_vectors);
	tcase_add_test(tc, test_encrypt_matches_router);
	tcase_add_test(tc, test_round_trip_lengths);
	tcase_add_test(tc, test_bad_texts);
	suite_add_tcase(s, tc);
	return s;
}
