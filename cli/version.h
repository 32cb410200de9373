/*
 * version: getvpn's version, printed by -V and `show version`; the Debian
 * package's version (debian/changelog) carries the same number.
 */
#ifndef CLI_VERSION_H
#define CLI_VERSION_H

#define GETVPN_VERSION "0.1"

#endif
