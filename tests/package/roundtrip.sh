#!/bin/bash
# The Debian package's round trip, as root: install it into a
# copy-on-write copy of this host's root (an overlay in a private mount
# namespace, thrown away at the end), check the unit, start the daemon the
# way the unit does (its ExecStart, its capability bounding set, no new
# privileges), attach a vty, save the configuration, stop the daemon with
# SIGTERM, purge the package and check that nothing of it is left.
#
# usage: roundtrip.sh PACKAGE.deb
set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "roundtrip: needs root (skipped)"; exit 0; }
deb=$(readlink -f "$1")
[ -f "$deb" ] || { echo "roundtrip: no package $1" >&2; exit 1; }
tmp=$(mktemp -d /tmp/getvpn-pkg.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

unshare -m --propagation private bash -s "$deb" "$tmp" <<'INNER'
set -euo pipefail
deb=$1 tmp=$2
fail() { echo "roundtrip: $*" >&2; exit 1; }
mount -t tmpfs tmpfs "$tmp"
mkdir "$tmp/upper" "$tmp/work" "$tmp/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$tmp/upper,workdir=$tmp/work" "$tmp/root"
R=$tmp/root
mount -t proc proc "$R/proc"
mount --rbind /dev "$R/dev"
mount --rbind /sys "$R/sys"
mount -t tmpfs tmpfs "$R/run"
mount -t tmpfs tmpfs "$R/tmp"
in_root() { chroot "$R" "$@"; }

[ ! -e "$R/usr/sbin/getvpn" ] || fail "getvpn is already installed on this host"
# Nothing of getvpn in the copy before (a test run may have left a key
# directory on the host; removing it here only hides it in the overlay).
rm -rf "$R/var/lib/getvpn" "$R/etc/getvpn"
in_root groupdel getvpn 2>/dev/null || true
cp "$deb" "$R/tmp/getvpn.deb"
in_root dpkg -i /tmp/getvpn.deb >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg -i failed"; }
for f in /usr/sbin/getvpn /lib/systemd/system/getvpn.service \
	/usr/share/man/man8/getvpn.8.gz /usr/share/man/man5/getvpn-config.5.gz; do
	[ -e "$R$f" ] || fail "$f not installed"
done
[ "$(stat -c %a "$R/var/lib/getvpn/keys")" = 700 ] || fail "key directory not private"
[ "$(stat -c %a "$R/var/lib/getvpn/state")" = 700 ] || fail "state directory not private"
unit=$R/lib/systemd/system/getvpn.service
if command -v systemd-analyze >/dev/null; then
	in_root systemd-analyze verify /lib/systemd/system/getvpn.service 2>"$tmp/verify.log" ||
		{ cat "$tmp/verify.log"; fail "systemd-analyze verify failed"; }
fi
grep -q '^Restart=on-failure$' "$unit" || fail "unit does not restart on failure"

# What the unit runs, with the capabilities it keeps.
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr 'A-Z' 'a-z' |
	sed 's/cap_/+/g; s/ /,/g')
dir=$(sed -n 's/^RuntimeDirectory=//p' "$unit")
group=$(sed -n 's/^SupplementaryGroups=//p' "$unit")
gid=$(in_root getent group "$group" | cut -d: -f3)
[ -n "$gid" ] || fail "the package did not create the $group group"
install -d -m 0750 "$R/run/$dir"
# shellcheck disable=SC2086
chroot "$R" setpriv --groups "$gid" --bounding-set "-all,$caps" \
	--no-new-privs $exec_start \
	>"$tmp/daemon.log" 2>&1 &
pid=$!
sock=/run/getvpn/vty
for _ in $(seq 100); do [ -S "$R$sock" ] && break; sleep 0.1; done
[ -S "$R$sock" ] || { cat "$tmp/daemon.log"; fail "no vty socket $sock"; }
# CAP_NET_BIND_SERVICE (10), CAP_NET_ADMIN (12), CAP_NET_RAW (13) only
grep -q "^CapBnd:[[:space:]]*0000000000003400$" "/proc/$pid/status" ||
	fail "daemon capabilities: $(grep CapBnd "/proc/$pid/status")"

out=$(in_root getvpn -S "$sock" -c "show version" -c "configure terminal" \
	-c "hostname PKG-GM" -c "end" -c "write memory")
grep -q "^Cisco IOS XE Software, Version " <<<"$out" || { echo "$out"; fail "show version over the vty"; }
grep -q "^PKG-GM uptime is " <<<"$(in_root getvpn -S "$sock" -c "show version")" ||
	fail "the vty session did not change the hostname"
grep -q "^hostname PKG-GM$" "$R/etc/getvpn/startup-config" || fail "write memory did not save"

[ "$(stat -c %a "$R/var/lib/getvpn/keys/ks-state.secret")" = 600 ] ||
	fail "the key state secret is not 0600"

kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
[ "$rc" = 0 ] || { cat "$tmp/daemon.log"; fail "daemon exited with $rc on SIGTERM"; }

in_root dpkg --purge getvpn >"$tmp/purge.log" 2>&1 || { cat "$tmp/purge.log"; fail "purge failed"; }
for f in /usr/sbin/getvpn /lib/systemd/system/getvpn.service /etc/getvpn /var/lib/getvpn; do
	[ ! -e "$R$f" ] || fail "$f left after purge"
done
! in_root getent group getvpn >/dev/null || fail "the getvpn group left after purge"
echo "roundtrip: installed, started as the unit does, vty attached, saved, stopped, purged"
INNER
