/*
 * user_fixtures: what the user data plane tests share: IPv4 packets,
 * policies and a GCM group SA built from readable values, and the group
 * every test installs (one SA pair, one PROTECT policy for
 * 192.168.0.0/16 <-> 192.168.0.0/16).
 */
#ifndef TESTS_USER_FIXTURES_H
#define TESTS_USER_FIXTURES_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec/ipsec.h"
#include "ipsec/user.h"

/* IANA protocol numbers the tests build. */
#define UF_ICMP 1
#define UF_TCP 6
#define UF_UDP 17
#define UF_ESP 50

#define UF_GROUP 1000
#define UF_SPI_MAIN 0x11111111u		/* the group SA, both ways */
#define UF_SPI_RONLY 0x22222222u	/* inbound only: receive-only */
#define UF_SPI_NOSA 0x33333333u		/* in a policy, not installed */

/* Dotted quad to network order (the test fails on a typo). */
uint32_t uf_ip4(const char *s);
void uf_put16(uint8_t *p, uint16_t v);
/* RFC 1071 checksum of len octets. */
uint16_t uf_cksum(const uint8_t *p, size_t len);
/* An IPv4 packet (DF, TTL 64) with an ICMP echo (sport = id, dport =
 * seq), UDP or TCP header, or for other protocols payload only.
 * Returns its length. */
size_t uf_pkt(uint8_t *p, uint8_t proto, const char *src, const char *dst,
	      uint16_t sport, uint16_t dport, size_t payload);
/* A policy with prefix lengths; dport 0 = any port. */
struct ipsec_policy uf_policy(uint32_t group, unsigned prio,
			      enum ipsec_action act, uint8_t proto,
			      const char *src, int slen, const char *dst,
			      int dlen, uint16_t dport, uint32_t spi);
/* A GCM-128 group SA with TBAR (5 s window) and an 8-bit sender ID. */
struct ipsec_sa uf_gcm_sa(uint32_t spi, enum ipsec_dir dir, uint32_t sid,
			  uint8_t keyfill);
/* Install the group (UF_SPI_MAIN in and out, sender sid) through x. */
void uf_install(struct ipsec_ctx *x, uint32_t sid);
/* The same; passive: the policy accepts the group's traffic in the
 * clear too (a passive member, doc/protocol.md §8.5). */
void uf_install_as(struct ipsec_ctx *x, uint32_t sid, bool passive);
/* One data-path counter of a user backend. */
uint64_t uf_ctr(struct ipsec_ctx *x, enum ipsec_user_ctr c);

/* The root test cases (user_netns.c), added to the user suite. */
void user_netns_tcases(Suite *s);
/* More root cases (user_modes_netns.c): modes, sizes, offloads, forgery. */
void user_modes_netns_tcases(Suite *s);

#endif
