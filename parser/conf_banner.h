/*
 * conf_banner: the banner texts of the running-config (conf_banner.c).
 */
#ifndef PARSER_CONF_BANNER_H
#define PARSER_CONF_BANNER_H

#include "parser/conf.h"

struct term;

/* CONF_BANNER_MOTD ... by the IOS word ("motd", "login", "exec"), or -1. */
int conf_banner_kind(const char *word);
/* Set (text NULL: remove) a banner; -1 when out of memory. */
int conf_banner_set(struct conf *c, int kind, const char *text);
void conf_banners_free(struct conf *c);
void conf_banners_show(const struct conf *c, struct term *t);

#endif
