/*
 * conf: the root of the running-config tree (global scalars and the
 * areas), the global commands that edit the root itself (hostname,
 * ip domain name, logging, line), and `show running-config` in IOS
 * canonical order (doc/ios-cli.md §3.1, §7.4).
 */
#include "parser/conf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/conf_aaa.h"
#include "parser/conf_acl.h"
#include "parser/conf_cmap.h"
#include "parser/conf_gdoi.h"
#include "parser/conf_if.h"
#include "parser/conf_ipsec.h"
#include "parser/conf_isakmp.h"
#include "parser/conf_banner.h"
#include "parser/conf_keyring.h"
#include "parser/conf_pki.h"
#include "parser/conf_pwenc.h"
#include "platform/term.h"

#define CONF_DEFAULT_HOSTNAME "Router"
#define CONF_LOG_BUFFER_DEFAULT 4096
#define CONF_LOG_SEV_DEFAULT 7		/* debugging */

static const char *const sev_names[8] = {
	"emergencies", "alerts", "critical", "errors",
	"warnings", "notifications", "informational", "debugging",
};

struct conf *
conf_new(void)
{
	struct conf *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	snprintf(c->hostname, sizeof(c->hostname), "%s", CONF_DEFAULT_HOSTNAME);
	c->log_buffer_sev = CONF_LOG_SEV_DEFAULT;
	c->isakmp = conf_isakmp_new();
	c->ipsec = conf_ipsec_new();
	c->acls = conf_acls_new();
	c->ifs = conf_ifs_new();
	c->cmaps = conf_cmaps_new();
	c->gdoi = conf_gdoi_new();
	c->pki = conf_pki_new();
	c->aaa = conf_aaa_new();
	c->keyrings = conf_keyrings_new();
	c->pwenc = conf_pwenc_new();
	if (!c->isakmp || !c->ipsec || !c->acls || !c->ifs || !c->cmaps ||
	    !c->gdoi || !c->pki || !c->aaa || !c->keyrings || !c->pwenc) {
		conf_free(c);
		return NULL;
	}
	return c;
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	conf_cmaps_free(c->cmaps);
	conf_ifs_free(c->ifs);
	conf_gdoi_free(c->gdoi);
	conf_ipsec_free(c->ipsec);
	conf_isakmp_free(c->isakmp);
	conf_acls_free(c->acls);
	conf_pki_free(c->pki);
	conf_aaa_free(c->aaa);
	conf_keyrings_free(c->keyrings);
	conf_pwenc_free(c->pwenc);
	conf_banners_free(c);
	free(c);
}

static void
show_root(const struct conf *c, struct term *t)
{
	term_printf(t, "hostname %s\n!\n", c->hostname);
	if (c->domain[0] != '\0')
		term_printf(t, "ip domain name %s\n!\n", c->domain);
	if (c->log_buffer_size == 0 && !c->log_console_off)
		return;
	if (c->log_buffer_size != 0) {
		term_puts(t, "logging buffered");
		if (c->log_buffer_size != CONF_LOG_BUFFER_DEFAULT)
			term_printf(t, " %zu", c->log_buffer_size);
		if (c->log_buffer_sev != CONF_LOG_SEV_DEFAULT)
			term_printf(t, " %s", sev_names[c->log_buffer_sev]);
		term_puts(t, "\n");
	}
	if (c->log_console_off)
		term_puts(t, "no logging console\n");
	term_puts(t, "!\n");
}

void
conf_show(const struct conf *c, struct term *t)
{
	conf_aaa_show_service(c->aaa, t);
	show_root(c, t);
	conf_pwenc_show(c, t);
	conf_aaa_show_users(c->aaa, t);
	conf_pki_show(c->pki, t);
	conf_keyrings_show(c->keyrings, t);
	conf_isakmp_show(c->isakmp, t);
	conf_ipsec_show(c->ipsec, t);
	conf_gdoi_show(c->gdoi, t);
	conf_cmaps_show(c->cmaps, t);
	conf_ifs_show(c->ifs, t);
	conf_acls_show(c->acls, t);
	conf_aaa_show_lines(c->aaa, t);
	conf_banners_show(c, t);
	term_puts(t, "end\n");
}

/*
 * Global commands on the root.
 */
static int
cmd_hostname(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "name");

	if (ctx->negate) {
		snprintf(ctx->conf->hostname, sizeof(ctx->conf->hostname), "%s",
			 CONF_DEFAULT_HOSTNAME);
		conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
		return CMD_OK;
	}
	if (name == NULL)
		return CMD_ERR_INCOMPLETE;
	if (strlen(name) >= CONF_HOSTNAME_MAX)
		return cmd_error(ctx, "Hostname too long (max %d characters)",
				 CONF_HOSTNAME_MAX - 1);
	if (!isalpha((unsigned char)name[0]))
		return cmd_error(ctx, "Hostname must start with a letter");
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' &&
		    *p != '.')
			return cmd_error(ctx, "Hostname contains one or more "
					 "illegal characters.");
	snprintf(ctx->conf->hostname, sizeof(ctx->conf->hostname), "%s", name);
	conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
	return CMD_OK;
}

static int
cmd_domain(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "name");

	if (ctx->negate) {
		ctx->conf->domain[0] = '\0';
		conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
		return CMD_OK;
	}
	if (name == NULL)
		return CMD_ERR_INCOMPLETE;
	if (strlen(name) >= sizeof(ctx->conf->domain))
		return cmd_error(ctx, "Domain name too long");
	snprintf(ctx->conf->domain, sizeof(ctx->conf->domain), "%s", name);
	conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
	return CMD_OK;
}

static int
sev_parse(const char *s)
{
	for (int i = 0; i < 8; i++)
		if (strcmp(s, sev_names[i]) == 0)
			return i;
	return atoi(s);
}

static int
cmd_logging_buffered(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *sev = cmd_arg(a, "sev");

	if (ctx->negate) {
		ctx->conf->log_buffer_size = 0;
		ctx->conf->log_buffer_sev = CONF_LOG_SEV_DEFAULT;
	} else {
		ctx->conf->log_buffer_size = cmd_arg_u32(a, "size",
							 CONF_LOG_BUFFER_DEFAULT);
		ctx->conf->log_buffer_sev = sev ? sev_parse(sev)
						: CONF_LOG_SEV_DEFAULT;
	}
	conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
	return CMD_OK;
}

static int
cmd_logging_console(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	ctx->conf->log_console_off = ctx->negate && !ctx->dflt;
	conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
	return CMD_OK;
}

#define SEV_ALTS "{<0-7>|emergencies|alerts|critical|errors|warnings|" \
	"notifications|informational|debugging}$sev"
#define SEV_HELP "Logging severity level\n" \
	"Immediate action needed           (severity=0)\n" \
	"Immediate action needed           (severity=1)\n" \
	"Critical conditions               (severity=2)\n" \
	"Error conditions                  (severity=3)\n" \
	"Warning conditions                (severity=4)\n" \
	"Normal but significant conditions (severity=5)\n" \
	"Informational messages            (severity=6)\n" \
	"Debugging messages                (severity=7)\n"

static const struct cmd_def conf_root_cmds[] = {
	{ MODE_CONFIG, "hostname WORD$name",
	  "Set system's network name\nThis system's network name\n",
	  cmd_hostname, 0 },
	{ MODE_CONFIG, "ip domain name WORD$name",
	  "Global IP configuration subcommands\n"
	  "IP DNS Resolver\nDefine the default domain name\nDefault domain name\n",
	  cmd_domain, 0 },
	{ MODE_CONFIG, "ip domain-name WORD$name",
	  "\nDefine the default domain name\nDefault domain name\n",
	  cmd_domain, CMD_F_HIDDEN },
	{ MODE_CONFIG, "logging buffered [<4096-2147483647>$size] [" SEV_ALTS "]",
	  "Modify message logging facilities\n"
	  "Set buffered logging parameters\nLogging buffer size\n" SEV_HELP,
	  cmd_logging_buffered, 0 },
	{ MODE_CONFIG, "logging console",
	  "\nSet console logging parameters\n", cmd_logging_console, 0 },
	{ .spec = NULL },
};

const struct cmd_def *const conf_cmd_tables[] = {
	conf_root_cmds,
	conf_isakmp_cmds,
	conf_ipsec_cmds,
	conf_acl_cmds,
	conf_if_cmds,
	conf_ifname_cmds,
	conf_cmap_cmds,
	conf_gdoi_cmds,
	conf_gdoi_ks_cmds,
	conf_pki_cmds,
	conf_aaa_cmds,
	conf_keyring_cmds,
	conf_pwenc_cmds,
	conf_ios_cmds,
	NULL,
};
