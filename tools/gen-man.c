/*
 * gen-man: writes getvpn-config(5), the command reference, from the same
 * command tables the CLI runs on, so the manual cannot drift from the
 * parser.  `make man` regenerates it; `make check` fails when the
 * committed page differs from what the tables say.
 */
#include <stdio.h>
#include <string.h>

#include "cli/env.h"
#include "parser/cmd.h"
#include "parser/mode.h"

static const char *const mode_names[MODE_COUNT] = {
	[MODE_USER_EXEC] = "User EXEC mode",
	[MODE_EXEC] = "Privileged EXEC mode",
	[MODE_CONFIG] = "Global configuration mode",
	[MODE_ISAKMP_POLICY] = "ISAKMP policy mode",
	[MODE_TRANSFORM_SET] = "IPsec transform-set mode",
	[MODE_IPSEC_PROFILE] = "IPsec profile mode",
	[MODE_ACL_EXT] = "Extended access list mode",
	[MODE_ACL_STD] = "Standard access list mode",
	[MODE_INTERFACE] = "Interface mode",
	[MODE_LINE] = "Line mode",
	[MODE_GDOI_GROUP] = "GDOI group mode",
	[MODE_GDOI_SERVER] = "GDOI local server (key server) mode",
	[MODE_GDOI_SA] = "GDOI SA IPsec mode",
	[MODE_GDOI_COOP] = "GDOI cooperative key server mode",
	[MODE_CRYPTO_MAP] = "Crypto map mode",
	[MODE_CRYPTO_MAP_FC] = "Crypto map fail-close mode",
	[MODE_PKI_TRUSTPOINT] = "CA trustpoint mode",
	[MODE_KEYRING] = "Keyring mode",
};

struct walk {
	enum cmd_mode mode;
};

/* Print text with roff's special characters escaped. */
static void
roff(const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		if (s[i] == '\\')
			fputs("\\e", stdout);
		else if (s[i] == '-')
			fputs("\\-", stdout);
		else if (i == 0 && (s[i] == '.' || s[i] == '\''))
			fputs("\\&.", stdout);
		else
			putchar(s[i]);
	}
}

/* The spec without $bindings. */
static void
print_spec(const char *spec)
{
	for (const char *p = spec; *p; p++) {
		if (*p == '$') {
			while (p[1] && !strchr(" []{}|", p[1]))
				p++;
			continue;
		}
		roff(p, 1);
	}
}

/* The next word of a spec (as the spec compiler counts them); returns
 * the position after it, with its length in *len, or NULL at the end. */
static const char *
next_word(const char *p, const char **word, size_t *len)
{
	while (*p && strchr(" []{}|$", *p)) {
		if (*p == '$')	/* the binding of a group: not a word */
			p += strcspn(p, " []{}|");
		else
			p++;
	}
	if (*p == '\0')
		return NULL;
	*word = p;
	*len = strcspn(p, " []{}|$");
	p += *len;
	if (*p == '$')
		p += strcspn(p, " []{}|");
	return p;
}

/*
 * Longer notes for commands whose help line cannot say enough (wire
 * choices, doc/wire-choices.md), keyed by the command's spec.
 */
static const struct {
	const char *spec, *text;
} man_notes[] = {
	{ "sa tek id-length <1-2>$octets",
	  "Width of the SRC and DST ID Data Len fields in the SA TEK payloads "
	  "this key server sends.  RFC 6407 section 5.5.1 draws and describes "
	  "them as 1 octet (\\fB1\\fR), and Cisco's open reference "
	  "implementation (an isakmpd derivative) sends 1 octet; Wireshark "
	  "4.0 and a commercial implementation read 2 octets (\\fB2\\fR, "
	  "the default, so that captures decode); what Cisco IOS sends is "
	  "unconfirmed.  A getvpn member "
	  "reads both and names the one it saw under \\fBdebug crypto gdoi "
	  "gm\\fR.  Choose 1 for a member that follows the RFC figure "
	  "strictly." },
	{ "key config-key password-encrypt [WORD$master]",
	  "The master key of type 6 secrets (8 to 128 printable characters). "
	  "Never shown: kept in \\fIstartup-config\\fB.master-key\\fR (mode "
	  "0600) next to the \\fB\\-f\\fR file, written at once, with the "
	  "master key before it so that an unsaved startup-config still "
	  "decrypts.  Configuring it decrypts the type 6 keys that were kept "
	  "locked and re-encrypts the others.  \\fBno\\fR is refused while a "
	  "key is stored as type 6.  Type 6 is the format Cisco published "
	  "(AES-128 under the MD5 of the master key, HMAC-SHA-1, base41): "
	  "keys pasted from a router decrypt here under its master key." },
	{ "password encryption aes",
	  "Keys entered in clear text (and those already there) are shown "
	  "and saved as \\fB6\\fR \\fITEXT\\fR once a master key is configured. "
	  "A pasted \\fB6\\fR \\fITEXT\\fR that no master key decrypts is "
	  "refused with a message (FILE:LINE at start) but kept as typed and "
	  "never used; \\fBno\\fR leaves existing type 6 keys as they are." },
};

static void
print_note(const char *spec)
{
	for (size_t i = 0; i < sizeof(man_notes) / sizeof(man_notes[0]); i++)
		if (strcmp(man_notes[i].spec, spec) == 0)
			printf("%s\n.br\n", man_notes[i].text);
}

static void
print_cmd(const struct cmd_def *d, void *arg)
{
	const struct walk *w = arg;
	const char *h, *word, *p = d->spec;
	size_t len, wlen;

	if (d->mode != w->mode || (d->flags & CMD_F_HIDDEN))
		return;
	puts(".TP");
	fputs(".B ", stdout);
	print_spec(d->spec);
	putchar('\n');
	/* one line per word: the word and the help `?` shows for it */
	for (unsigned i = 0; (p = next_word(p, &word, &wlen)) != NULL; i++) {
		h = cmd_def_help(d, i, &len);
		if (len == 0)
			continue;
		fputs("\\fB", stdout);
		roff(word, wlen);
		fputs("\\fR \\(em ", stdout);
		roff(h, len);
		puts("\n.br");
	}
	if (d->flags & CMD_F_NO_NEGATE)
		puts("(no \\fBno\\fR form)");
	if (d->flags & CMD_F_SHOW)
		puts("(\\fB| json\\fR)");
	print_note(d->spec);
}

int
main(void)
{
	struct cli_env env;
	char err[256];

	if (cli_env_init(&env, NULL, NULL, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "gen-man: %s\n", err);
		return 1;
	}
	puts(".\\\" Generated by tools/gen-man.c from the command tables; "
	     "do not edit.");
	puts(".TH GETVPN-CONFIG 5 \"\" \"getvpn\" \"File Formats\"");
	puts(".SH NAME\ngetvpn-config \\- getvpn configuration and EXEC "
	     "commands");
	puts(".SH DESCRIPTION\nA getvpn startup-config is a sequence of the "
	     "configuration commands below, as \\fBshow running-config\\fR "
	     "prints them; it is replayed at start-up exactly as if typed in "
	     "global configuration mode.  Keywords may be abbreviated to any "
	     "unique prefix.  Every configuration command except those "
	     "marked otherwise has a \\fBno\\fR and a \\fBdefault\\fR form.  "
	     "Under each command, one line per word of the command gives "
	     "the help text \\fB?\\fR shows for it.");
	puts(".PP\nArguments: \\fBWORD\\fR a name, \\fBLINE\\fR the rest of "
	     "the line, \\fBA.B.C.D\\fR an IPv4 address, \\fBM.M.M.M\\fR a "
	     "netmask, \\fB<lo\\-hi>\\fR a number in that range; "
	     "\\fB[ ]\\fR optional, \\fB{ | }\\fR one of.");
	puts(".PP\nOutput modifiers on EXEC commands: \\fB| include\\fR, "
	     "\\fBexclude\\fR, \\fBbegin\\fR, \\fBsection\\fR or "
	     "\\fBcount\\fR \\fIREGEX\\fR.  \\fB| json\\fR prints the "
	     "output as one JSON object (RFC 8259) instead of the IOS text: "
	     "the values the text shows, under keys in lower case with "
	     "underscores (\\fBgroup_name\\fR, \\fBremaining_life_sec\\fR), "
	     "nested as the text nests them, one list per repeated block "
	     "(groups, members, SAs); times and sizes are numbers, addresses, "
	     "SPIs and names strings; a configuration or a log is the list of "
	     "its lines.  Every show command takes it (each is marked "
	     "\\fB(| json)\\fR below), for example \\fBshow crypto gdoi ks "
	     "members | json\\fR; any other command refuses it with "
	     "\\fB% JSON output is not available for this command\\fR.");
	for (int m = 0; m < MODE_COUNT; m++) {
		struct walk w = { .mode = (enum cmd_mode)m };

		printf(".SH \"%s\"\n", mode_names[m]);
		cmd_engine_foreach(env.engine, print_cmd, &w);
	}
	puts(".SH SEE ALSO\n.BR getvpn (8)");
	cli_env_fini(&env);
	return 0;
}
