#!/bin/bash
# Real clients over SSH (doc/cli.md "Logging in over SSH"): OpenSSH's sshd
# on a loopback address inside a network namespace made here, a local user
# whose sessions run `getvpn -S SOCKET` (ForceCommand), key-based login;
# netmiko and Ansible cisco.ios drive the daemon through it as they would
# a router.  Everything made here is removed on exit, failure included.
#
#   tests/ssh/real_clients.sh GETVPN_BINARY      (root; exit 0 = passed)
set -u
BIN=$(readlink -f "${1:?usage: $0 GETVPN_BINARY}")
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
TAG=gv$$
NS=${TAG}ns
USR=${TAG}u
DIR=$(mktemp -d /tmp/getvpn-ssh-XXXXXX)
SOCK=$DIR/vty.sock
PORT=2222
DPID= SPID=

cleanup() {
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	userdel "$USR" 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT
fail() { echo "real_clients: $*" >&2; for f in "$DIR"/*.log; do echo "== $f" >&2; tail -30 "$f" >&2; done; exit 1; }

for t in /usr/sbin/sshd ssh-keygen ansible-playbook; do
	command -v "$t" >/dev/null || fail "$t missing (make deps)"
done
$PY -c 'import netmiko' 2>/dev/null || fail "python3-netmiko missing (make deps)"

chmod 711 "$DIR"
# the SSH user runs a copy in $DIR: the tree may sit under a directory
# other users cannot enter (mktemp -d makes 0700 ones)
cp "$BIN" "$DIR/getvpn" && chmod 755 "$DIR/getvpn" || fail "copy $BIN"
BIN=$DIR/getvpn
# the user: no password (not locked), a shell to run the forced command
useradd -M -d "$DIR" -s /bin/sh "$USR" || fail "useradd"
usermod -p '*' "$USR"
ssh-keygen -q -t ed25519 -N '' -f "$DIR/client_key" || fail "ssh-keygen"
ssh-keygen -q -t ed25519 -N '' -f "$DIR/host_key" || fail "ssh-keygen"
cp "$DIR/client_key.pub" "$DIR/authorized_keys"
chown "$USR" "$DIR/authorized_keys"
chmod 600 "$DIR/authorized_keys"
cat > "$DIR/sshd_config" <<CFG
ListenAddress 127.0.0.1:$PORT
HostKey $DIR/host_key
PidFile $DIR/sshd.pid
AuthorizedKeysFile $DIR/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowUsers $USR
ForceCommand $BIN -S $SOCK
CFG

# the daemon: the SSH user may look (privilege 1), enable takes the secret
cat > "$DIR/startup-config" <<CFG
hostname GV-SSH
enable secret cisco
username $USR privilege 1
crypto isakmp policy 10
 encr aes
end
CFG
"$BIN" -d -f "$DIR/startup-config" -k "$DIR/keys" -S "$SOCK" \
	> "$DIR/daemon.log" 2>&1 &
DPID=$!
for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.05; done
[ -S "$SOCK" ] || fail "the daemon did not start"
chmod 666 "$SOCK"

ip netns add "$NS" || fail "netns"
ip -n "$NS" link set lo up
mkdir -p /run/sshd
ip netns exec "$NS" /usr/sbin/sshd -D -e -f "$DIR/sshd_config" \
	> "$DIR/sshd.log" 2>&1 &
SPID=$!
for _ in $(seq 100); do
	ip netns exec "$NS" bash -c "echo > /dev/tcp/127.0.0.1/$PORT" 2>/dev/null && break
	sleep 0.05
done

export GV_USER=$USR GV_KEY=$DIR/client_key GV_PORT=$PORT GV_DIR=$DIR
ip netns exec "$NS" $PY "$HERE/netmiko_drive.py" > "$DIR/netmiko.log" 2>&1 ||
	fail "netmiko"
cat > "$DIR/inventory" <<INV
[routers]
gv ansible_host=127.0.0.1 ansible_port=$PORT ansible_user=$USR ansible_ssh_private_key_file=$DIR/client_key ansible_connection=ansible.netcommon.network_cli ansible_network_os=cisco.ios.ios ansible_become=yes ansible_become_method=enable ansible_become_password=cisco
INV
ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_LOCAL_TEMP=$DIR/ansible-tmp \
ANSIBLE_PERSISTENT_CONTROL_PATH_DIR=$DIR/ansible-pc \
	ip netns exec "$NS" ansible-playbook -i "$DIR/inventory" \
	"$HERE/ansible_drive.yml" > "$DIR/ansible.log" 2>&1 || fail "ansible"
tail -3 "$DIR/netmiko.log"; grep -A2 "PLAY RECAP" "$DIR/ansible.log"
echo "real_clients: netmiko and Ansible passed"
