#!/usr/bin/env bash
# tests/bench/dataplane.sh: the data-plane benchmark of `make bench`.
#
# One run measures, LAN to LAN, the same traffic through:
#   getvpn      examples/lab/run -k (h1 - gm1 - wan - gm2 - h2, user
#               data plane), the two group members' processes measured
#   veth        plain forwarding, no encryption (the ceiling)
#   wireguard   wireguard-go in each gateway (userspace WireGuard)
#   strongswan  charon with the kernel-libipsec plugin in each gateway
#               (userspace ESP, IKEv2 with a PSK, esp=aes256gcm16)
# The peers run on a copy of the lab's topology, h1 - r1 - wan - r2 - h2
# with the lab's addresses: the tunnel between r1 and r2 (the lab's gm1
# and gm2) across the provider router wan, iperf3 in h1 (client) and h2
# (server).  Every setup therefore crosses the same five namespaces.
#
# Traffic: iperf3 TCP for BENCH_SECS seconds, then iperf3 UDP with
# 200-byte datagrams and no rate limit for BENCH_SECS seconds.
# Printed per setup: TCP Mbit/s; UDP Mbit/s and packets/s as received
# by h2; CPU per Gbit/s of TCP, as the cores the tunnel processes used
# (utime + stime from /proc/PID/stat) and as the cores the whole
# machine used (/proc/stat), each divided by the Gbit/s carried.
# Then getvpn's ratio to each peer.  The numbers are printed, never
# asserted: they depend on the machine.
#
# usage: tests/bench/dataplane.sh      (as root; as anyone else it says
#        it skipped and exits 0)
# environment:
#   BENCH_INSTALL=1   apt-get install what is missing (else the peers
#                     whose tools are missing are skipped, and said so)
#   BENCH_SECS        seconds per iperf3 run (default 5)
#   BENCH_ONLY        space-separated subset of: getvpn veth wireguard
#                     strongswan (default all)
#   BENCH_DIR         work directory (default a new /tmp/getvpn-bench.XXXXXX
#                     per run, kept for its logs)
#   BENCH_PREFIX      namespace name prefix (default gvb<pid>, one per run,
#                     so that a bench and labs or tests can run at once)
#   GETVPN            the getvpn binary (default: top of the repository)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SECS=${BENCH_SECS:-5}
DIR=${BENCH_DIR:-}
ONLY=${BENCH_ONLY:-getvpn veth wireguard strongswan}
P=${BENCH_PREFIX:-gvb$$}	# our namespaces: $P-h1 ...; the lab's: ${P}l-*
LAB_P=${P}l
PORT=5201
UDP_LEN=200
LAB_PID=

say() { printf '== %s\n' "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
in_ns() { local n=$1; shift; ip netns exec "$P-$n" "$@"; }

# Results, by setup: tcp Mbit/s, udp Mbit/s, udp packets/s, process
# cores per Gbit/s, machine cores per Gbit/s; or a reason it was skipped.
declare -A TCP UDP PPS PCPU MCPU SKIP

# ---- cleanup ----

ns_kill() {
	local pids
	mapfile -t pids < <(ip netns pids "$2" 2>/dev/null)
	[ ${#pids[@]} -eq 0 ] || kill "$1" "${pids[@]}" 2>/dev/null || true
}

our_namespaces() {
	ip netns list 2>/dev/null | awk '{ print $1 }' | grep "^$P-" || true
}

# Namespaces of earlier benches with the default prefix gvb<pid> (and
# their labs, gvb<pid>l) whose process is gone.
stale_namespaces() {
	local ns pid
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' |
		grep -E '^gvb[0-9]+l?-' || true); do
		pid=${ns#gvb}
		pid=${pid%%[l-]*}
		[ "$pid" = $$ ] || kill -0 "$pid" 2>/dev/null || echo "$ns"
	done
}

# Our own topology only (and what dead benches left); the lab removes
# its namespaces itself.
teardown() {
	local ns
	for ns in $(our_namespaces); do ns_kill -TERM "$ns"; done
	sleep 0.3
	for ns in $(our_namespaces) $(stale_namespaces); do
		ns_kill -KILL "$ns"
		ip netns del "$ns" 2>/dev/null || true
	done
	# wireguard-go leaves its control sockets in the shared /run
	rm -f /run/wireguard/${P}wg1.sock /run/wireguard/${P}wg2.sock
}

lab_stop() {
	[ -n "$LAB_PID" ] || return 0
	# TERM, not INT: a background job of a non-interactive shell starts
	# with SIGINT ignored, and bash cannot trap a signal ignored at entry
	kill -TERM "$LAB_PID" 2>/dev/null || true
	local t
	for ((t = 0; t < 50; t++)); do
		kill -0 "$LAB_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -TERM "$LAB_PID" 2>/dev/null || true
	wait "$LAB_PID" 2>/dev/null || true
	LAB_PID=
	# what a killed lab could not remove
	local ns
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep "^$LAB_P-" || true); do
		ns_kill -KILL "$ns"
		ip netns del "$ns" 2>/dev/null || true
	done
}

on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	lab_stop
	teardown
	[ $rc -eq 0 ] || say "failed (rc $rc); logs in $DIR"
	exit $rc
}

# ---- tools ----

# Debian package of each command a setup needs.
declare -A PKG=([iperf3]=iperf3 [wireguard-go]=wireguard-go [wg]=wireguard-tools
	[/usr/lib/ipsec/starter]=strongswan-starter
	[/usr/lib/ipsec/charon]=strongswan-charon
	[/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so]=libcharon-extra-plugins
	[/usr/lib/ipsec/plugins/libstrongswan-gcm.so]=libstrongswan-standard-plugins
	[unshare]=util-linux [jq]=jq)

have() { [ -x "$1" ] || [ -f "$1" ] || command -v "$1" >/dev/null 2>&1; }

# Prints the packages missing for the commands given.
missing() {
	local c out=()
	for c in "$@"; do have "$c" || out+=("${PKG[$c]}"); done
	echo "${out[*]}"
}

install_tools() {
	local m
	m=$(missing iperf3 jq wireguard-go wg /usr/lib/ipsec/starter \
		/usr/lib/ipsec/charon \
		/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so \
		/usr/lib/ipsec/plugins/libstrongswan-gcm.so)
	[ -n "$m" ] || return 0
	if [ "${BENCH_INSTALL:-0}" = 1 ]; then
		say "installing: $m"
		apt-get update -qq
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y \
			--no-install-recommends $m >"$DIR/apt.log" 2>&1 ||
			die "apt-get install failed: $(tail -3 "$DIR/apt.log")"
	else
		say "missing packages: $m (BENCH_INSTALL=1 installs them)"
	fi
}

# ---- measuring ----

# CPU ticks (utime + stime, all threads) of the processes given.
proc_ticks() {
	local pid sum=0 f
	for pid in "$@"; do
		# fields after the ") " that ends comm (which may hold spaces):
		# utime is the 12th, stime the 13th
		read -r -a f < <(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
		sum=$((sum + f[11] + f[12]))
	done
	echo $sum
}

# Busy ticks of the whole machine (all but idle and iowait).
machine_ticks() {
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

iperf_server_start() {
	ip netns exec "$1" iperf3 -s -p $PORT >"$DIR/iperf3-s.log" 2>&1 &
	local t
	for ((t = 0; t < 50; t++)); do
		[ -n "$(ip netns exec "$1" ss -Hltn "sport = :$PORT" 2>/dev/null)" ] && return 0
		sleep 0.1
	done
	die "iperf3 server did not start in $1"
}

# measure NAME CLIENT_NS SERVER_NS SERVER_ADDR PID...
# Fills TCP, UDP, PPS, PCPU, MCPU for NAME.
measure() {
	local name=$1 cns=$2 sns=$3 addr=$4; shift 4
	local pids=("$@") hz p0 p1 m0 m1 t0 t1 j
	hz=$(getconf CLK_TCK)
	iperf_server_start "$sns"
	# a short warm-up: ARP, route MTU, the first packets of a tunnel
	ip netns exec "$cns" ping -c 3 -i 0.2 -W 2 "$addr" >/dev/null 2>&1 ||
		say "$name: warm-up ping to $addr failed"
	p0=$(proc_ticks "${pids[@]}"); m0=$(machine_ticks); t0=$(date +%s.%N)
	j="$DIR/$name-tcp.json"
	ip netns exec "$cns" timeout $((SECS + 20)) iperf3 -c "$addr" -p $PORT \
		-t "$SECS" -J >"$j" 2>&1 || { SKIP[$name]="iperf3 TCP failed (see $j)"; return 0; }
	p1=$(proc_ticks "${pids[@]}"); m1=$(machine_ticks); t1=$(date +%s.%N)
	TCP[$name]=$(jq '.end.sum_received.bits_per_second / 1e6' "$j")
	PCPU[$name]=$(awk -v d=$((p1 - p0)) -v hz="$hz" -v t0="$t0" -v t1="$t1" \
		-v m="${TCP[$name]}" 'BEGIN { c = d / hz / (t1 - t0);
		printf "%.2f", (m > 0 ? c / (m / 1000) : 0) }')
	MCPU[$name]=$(awk -v d=$((m1 - m0)) -v hz="$hz" -v t0="$t0" -v t1="$t1" \
		-v m="${TCP[$name]}" 'BEGIN { c = d / hz / (t1 - t0);
		printf "%.2f", (m > 0 ? c / (m / 1000) : 0) }')
	sleep 0.5
	j="$DIR/$name-udp.json"
	ip netns exec "$cns" timeout $((SECS + 20)) iperf3 -c "$addr" -p $PORT \
		-u -b 0 -l $UDP_LEN -t "$SECS" -J >"$j" 2>&1 ||
		{ SKIP[$name]="iperf3 UDP failed (see $j)"; return 0; }
	# what h2 received: datagrams sent less those lost, over the run
	PPS[$name]=$(jq '(.end.sum.packets - .end.sum.lost_packets) / .end.sum.seconds' "$j")
	UDP[$name]=$(awk -v p="${PPS[$name]}" -v l=$UDP_LEN 'BEGIN { printf "%.1f", p * l * 8 / 1e6 }')
	pkill_iperf "$sns"
}

# Stop the iperf3 server in namespace $1 (only iperf3, by process id).
pkill_iperf() {
	local pid
	for pid in $(ip netns pids "$1" 2>/dev/null); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = iperf3 ] && kill "$pid" 2>/dev/null
	done
	return 0
}

# Ids of the processes named $2 in namespace $1.
ns_pids_named() {
	local pid
	for pid in $(ip netns pids "$1" 2>/dev/null); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && echo "$pid"
	done
	return 0
}

# Wait up to $2 seconds until h1 reaches h2 through the tunnel.
wait_path() {
	local t
	for ((t = 0; t < $2 * 2; t++)); do
		in_ns h1 ping -c 1 -W 1 "$1" >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}

# ---- getvpn: the lab of examples/lab/run ----

bench_getvpn() {
	local t pids
	say "getvpn: starting examples/lab/run -k (user data plane)"
	LAB_PREFIX=$LAB_P LAB_DIR=$DIR/lab GETVPN=${GETVPN:-$ROOT/getvpn} \
		"$ROOT/examples/lab/run" -k -q >"$DIR/lab.log" 2>&1 &
	LAB_PID=$!
	for ((t = 0; t < 1200; t++)); do
		grep -q 'lab kept up' "$DIR/lab.log" 2>/dev/null && break
		kill -0 "$LAB_PID" 2>/dev/null || {
			SKIP[getvpn]="lab failed: $(grep -E '^lab:' "$DIR/lab.log" | tail -1)"
			LAB_PID=
			return 0
		}
		sleep 0.1
	done
	grep -q 'lab kept up' "$DIR/lab.log" || {
		SKIP[getvpn]="lab not up within 120 s (see $DIR/lab.log)"
		lab_stop
		return 0
	}
	pids=("$(cat "$DIR/lab/gm1.pid")" "$(cat "$DIR/lab/gm2.pid")")
	measure getvpn "$LAB_P-h1" "$LAB_P-h2" 192.168.2.10 "${pids[@]}"
	# the lab's members count what they carried
	"${GETVPN:-$ROOT/getvpn}" -S "$DIR/lab/gm1.sock" \
		-c "show crypto gdoi gm dataplane counters" >"$DIR/getvpn-counters" 2>&1 || true
	lab_stop
}

# ---- our topology for the peers: h1 - r1 - wan - r2 - h2 ----

# veth A:IFA <-> B:IFB
link() {
	ip link add "gvb$$a" type veth peer name "gvb$$b"
	ip link set "gvb$$a" netns "$P-$1"
	ip link set "gvb$$b" netns "$P-$3"
	ip -n "$P-$1" link set "gvb$$a" name "$2" up
	ip -n "$P-$3" link set "gvb$$b" name "$4" up
}

addr() { ip -n "$P-$1" addr add "$3" dev "$2"; }
route() { ip -n "$P-$1" route add "$2" "${@:3}"; }

# The LANs and the link between the gateways; routes between the LANs
# are each setup's business.
build() {
	local n
	teardown
	for n in h1 r1 wan r2 h2; do
		ip netns add "$P-$n"
		ip -n "$P-$n" link set lo up
	done
	link h1 eth0 r1 lan0; addr h1 eth0 192.168.1.10/24; addr r1 lan0 192.168.1.1/24
	link r1 wan0 wan r1;  addr r1 wan0 10.0.11.1/24;    addr wan r1 10.0.11.254/24
	link r2 wan0 wan r2;  addr r2 wan0 10.0.12.1/24;    addr wan r2 10.0.12.254/24
	link r2 lan0 h2 eth0; addr r2 lan0 192.168.2.1/24; addr h2 eth0 192.168.2.10/24
	route h1 default via 192.168.1.1
	route h2 default via 192.168.2.1
	route r1 default via 10.0.11.254
	route r2 default via 10.0.12.254
	for n in r1 wan r2; do
		in_ns $n sysctl -qw net.ipv4.ip_forward=1
	done
}

bench_veth() {
	say "veth: plain forwarding h1 - r1 - wan - r2 - h2"
	build
	# the provider routes the LANs, as GET VPN's preserved addresses need
	route wan 192.168.1.0/24 via 10.0.11.1
	route wan 192.168.2.0/24 via 10.0.12.1
	wait_path 192.168.2.10 5 || die "veth: h1 does not reach h2"
	# no tunnel process: only the machine's CPU says something
	measure veth "$P-h1" "$P-h2" 192.168.2.10
	PCPU[veth]=-
	teardown
}

# wg_gateway N PEER_WAN PEER_N REMOTE_LAN: wireguard-go in rN, keyed to rPEER_N
wg_gateway() {
	local n=$1 ifn=${P}wg$1
	WG_PROCESS_FOREGROUND=1 ip netns exec "$P-r$n" wireguard-go "$ifn" \
		>"$DIR/wg$n.log" 2>&1 &
	local t
	for ((t = 0; t < 50; t++)); do
		[ -S "/run/wireguard/$ifn.sock" ] && break
		sleep 0.1
	done
	in_ns "r$n" wg set "$ifn" private-key "$DIR/wg$n.key" listen-port 51820 \
		peer "$(cat "$DIR/wg$3.pub")" endpoint "$2:51820" allowed-ips "$4"
	ip -n "$P-r$n" link set "$ifn" up
	route "r$n" "$4" dev "$ifn"
}

bench_wireguard() {
	local m
	m=$(missing wireguard-go wg)
	[ -z "$m" ] || { SKIP[wireguard]="missing $m"; return 0; }
	say "wireguard-go: h1 - r1 =wg= (wan) r2 - h2"
	build
	(
		umask 077
		wg genkey >"$DIR/wg1.key"; wg pubkey <"$DIR/wg1.key" >"$DIR/wg1.pub"
		wg genkey >"$DIR/wg2.key"; wg pubkey <"$DIR/wg2.key" >"$DIR/wg2.pub"
	)
	wg_gateway 1 10.0.12.1 2 192.168.2.0/24
	wg_gateway 2 10.0.11.1 1 192.168.1.0/24
	wait_path 192.168.2.10 10 || { SKIP[wireguard]="no path h1 -> h2 through wg"; teardown; return 0; }
	local pids
	mapfile -t pids < <(ns_pids_named "$P-r1" wireguard-go; ns_pids_named "$P-r2" wireguard-go)
	measure wireguard "$P-h1" "$P-h2" 192.168.2.10 "${pids[@]}"
	teardown
}

# ---- strongSwan: charon with kernel-libipsec (userspace ESP) ----

# sw_config N MY_WAN PEER_WAN MY_LAN PEER_LAN AUTO: the config of rN in
# $DIR/swN.  Only the plugins the run needs, kernel-libipsec before
# kernel-netlink so that ESP stays in charon; openssl first for AES-GCM.
sw_config() {
	local d=$DIR/sw$1
	mkdir -p "$d"
	cat >"$d/strongswan.conf" <<-CONF
	charon {
		load = random nonce openssl aes gcm sha1 sha2 hmac pem pkcs1 pubkey x509 kdf kernel-libipsec kernel-netlink socket-default stroke updown
		install_routes = yes
		plugins {
			stroke {
				secrets_file = $d/ipsec.secrets
			}
		}
		filelog {
			log {
				path = $d/charon.log
				default = 1
			}
		}
	}
	CONF
	# ipsec.conf wants the conn parameters indented: spaces, which <<-
	# keeps
	cat >"$d/ipsec.conf" <<-CONF
	conn bench
	  keyexchange=ikev2
	  authby=secret
	  left=$2
	  leftid=$2
	  leftsubnet=$4
	  right=$3
	  rightid=$3
	  rightsubnet=$5
	  ike=aes256gcm16-prfsha256-modp2048
	  esp=aes256gcm16
	  auto=$6
	CONF
	printf '%s %s : PSK "getvpn-bench-%s"\n' "$2" "$3" "$SW_PSK" >"$d/ipsec.secrets"
	chmod 600 "$d/ipsec.secrets"
}

# charon of rN, through starter, with a /run of its own: the two
# gateways share the file system, and charon keeps its pid file and
# control socket in /run.
sw_start() {
	local d=$DIR/sw$1
	ip netns exec "$P-r$1" env STRONGSWAN_CONF="$d/strongswan.conf" \
		unshare -m --propagation private sh -c \
		"mount -t tmpfs sw$1 /run && exec /usr/lib/ipsec/starter --nofork --conf '$d/ipsec.conf'" \
		>"$d/starter.log" 2>&1 &
}

bench_strongswan() {
	local m t
	m=$(missing /usr/lib/ipsec/starter /usr/lib/ipsec/charon unshare \
		/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so \
		/usr/lib/ipsec/plugins/libstrongswan-gcm.so)
	[ -z "$m" ] || { SKIP[strongswan]="missing $m"; return 0; }
	say "strongSwan: h1 - r1 =ESP (kernel-libipsec, wan)= r2 - h2"
	build
	SW_PSK=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
	sw_config 1 10.0.11.1 10.0.12.1 192.168.1.0/24 192.168.2.0/24 start
	sw_config 2 10.0.12.1 10.0.11.1 192.168.2.0/24 192.168.1.0/24 add
	sw_start 2
	# r1 initiates once r2 listens on the IKE port
	for ((t = 0; t < 100; t++)); do
		[ -n "$(in_ns r2 ss -Hlun 'sport = :500' 2>/dev/null)" ] && break
		sleep 0.1
	done
	sw_start 1
	wait_path 192.168.2.10 30 || {
		SKIP[strongswan]="no path h1 -> h2 through the IPsec SA (see $DIR/sw1/charon.log)"
		teardown
		return 0
	}
	local pids
	mapfile -t pids < <(ns_pids_named "$P-r1" charon; ns_pids_named "$P-r2" charon)
	measure strongswan "$P-h1" "$P-h2" 192.168.2.10 "${pids[@]}"
	teardown
}

# ---- the table ----

# ratio A B: A / B with one decimal, or "-" when either is missing
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "" || b == "" || a == "-" || b == "-" || b + 0 == 0) print "-";
		else printf "%.2fx", a / b }'
}

report() {
	local s
	echo
	say "data plane: LAN to LAN, ${SECS}s TCP and ${SECS}s UDP (${UDP_LEN}-byte), $(nproc) cores"
	printf '%-11s %10s %10s %11s %14s %14s\n' setup "TCP Mbit/s" "UDP Mbit/s" \
		"UDP pkt/s" "tun CPU/Gbps" "host CPU/Gbps"
	for s in getvpn veth wireguard strongswan; do
		case " $ONLY " in *" $s "*) ;; *) continue ;; esac
		if [ -n "${SKIP[$s]:-}" ]; then
			printf '%-11s skipped (%s)\n' "$s:" "${SKIP[$s]}"
			continue
		fi
		printf '%-11s %10.1f %10s %11.0f %14s %14s\n' "$s" "${TCP[$s]}" \
			"${UDP[$s]}" "${PPS[$s]}" "${PCPU[$s]}" "${MCPU[$s]}"
	done
	echo "(CPU/Gbps: cores busy per Gbit/s of TCP; tun = the tunnel processes"
	echo " getvpn gm1+gm2, wireguard-go x2, charon x2; host = the whole machine)"
	[ -n "${TCP[getvpn]:-}" ] || return 0
	echo
	say "getvpn relative to each (target: >= 4x wireguard-go and strongSwan)"
	printf '%-11s %10s %10s %16s\n' peer "TCP" "UDP pkt/s" "host CPU/Gbps"
	for s in veth wireguard strongswan; do
		[ -n "${TCP[$s]:-}" ] || continue
		# CPU: lower is better, so the ratio is peer / getvpn
		printf '%-11s %10s %10s %16s\n' "$s" "$(ratio "${TCP[getvpn]}" "${TCP[$s]}")" \
			"$(ratio "${PPS[getvpn]}" "${PPS[$s]}")" \
			"$(ratio "${MCPU[$s]}" "${MCPU[getvpn]}")"
	done
}

# ---- main ----

# `make bench` runs this after the C benches, as whoever runs make
[ "$(id -u)" -eq 0 ] || { say "data plane: skipped (needs root: network namespaces)"; exit 0; }
if [ -z "$DIR" ]; then
	DIR=$(mktemp -d /tmp/getvpn-bench.XXXXXX)
elif [ -e "$DIR" ]; then
	[ -e "$DIR/.getvpn-bench" ] || [ -z "$(ls -A "$DIR")" ] ||
		die "$DIR exists and is not a bench directory (set BENCH_DIR)"
	rm -rf "$DIR"
fi
mkdir -p "$DIR"
touch "$DIR/.getvpn-bench"
trap on_exit EXIT
trap 'exit 130' INT TERM
install_tools
m=$(missing iperf3 jq)
[ -z "$m" ] || { say "data plane: skipped (missing $m; BENCH_INSTALL=1 installs it)"; exit 0; }
teardown
for s in $ONLY; do
	case $s in
	getvpn | veth | wireguard | strongswan) "bench_$s" ;;
	*) die "unknown setup $s in BENCH_ONLY" ;;
	esac
done
report
