#!/usr/bin/python3
"""`| json` read with Python's JSON parser: show version and show
interfaces checked against the host; every GDOI show command of a running
key server daemon (COOP configured, a peer that never answers) asked
through its vty as a user would, its JSON checked against the values it
prints as text; a command without a JSON form (not a show) refuses
`| json`.

usage: json_shows.py GETVPN_BIN    (exit 0 when every check holds)
"""
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import json_vs_text  # noqa: E402

KS_CONFIG = """hostname json-ks1
crypto isakmp policy 10
 encr aes 256
 hash sha256
 authentication pre-share
 group 19
crypto isakmp key json-psk address 0.0.0.0 0.0.0.0
crypto key generate rsa general-keys label REKEY modulus 1024
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
crypto ipsec profile PROF
 set transform-set TS
ip access-list extended POLICY
 permit ip 10.0.0.0 0.255.255.255 10.0.0.0 0.255.255.255
crypto gdoi group G
 identity number 4242
 server local
  rekey authentication mypubkey rsa REKEY
  rekey transport unicast
  sa ipsec 10
   profile PROF
   match address ipv4 POLICY
  address ipv4 127.0.0.1
  redundancy
   local priority 200
   peer address ipv4 127.0.0.77
"""

# Values that change between the two asks (remaining times, live counters,
# the history of each vty session) are not compared with the text.
TICKING = ("remaining", "time_to_rekey", "elapsed", "counters.", "idle",
           "history.")

# command, then PATH=VALUE checks.
KS_SHOWS = [
    ("show crypto gdoi", ["key_server_groups.0.group_name=G",
                          "key_server_groups.0.group_identity=4242",
                          "key_server_groups.0.redundancy.local_priority=200",
                          "key_server_groups.0.ipsec_sas.0.profile_name=PROF"]),
    ("show crypto gdoi detail", ["key_server_groups.0.group_name=G"]),
    ("show crypto gdoi ks policy", ["groups.0.group=G", "groups.0.server=127.0.0.1",
                                    "groups.0.kek_policy.sig_key_name=REKEY",
                                    "groups.0.tek_policies.0.access_list=POLICY"]),
    ("show crypto gdoi ks", ["total_group_members=0", "groups.0.group_name=G",
                             "groups.0.group_identity=4242", "groups.0.acls.0=POLICY"]),
    ("show crypto gdoi ks detail", ["groups.0.redundancy.status=Configured",
                                    "groups.0.redundancy.local_priority=200",
                                    "groups.0.redundancy.local_coop_version=2"]),
    ("show crypto gdoi ks members", ["groups.0.group=G", "groups.0.rekeys_sent=0"]),
    ("show crypto gdoi ks members summary", ["groups.0.group_members=0"]),
    ("show crypto gdoi ks coop", ["groups.0.redundancy=true",
                                  "groups.0.local_priority=200",
                                  "groups.0.peer_sessions.0.peer_address=127.0.0.77",
                                  "groups.0.peer_sessions.0.peer_ks_status=Dead"]),
    ("show crypto gdoi ks coop detail", ["groups.0.peer_sessions.0.session=1",
                                         "groups.0.dropped_messages.0.count=0"]),
    ("show crypto gdoi ks acl", ["groups.0.configured_acl.0.acl=POLICY"]),
    ("show crypto gdoi rekey sa", ["rekey_sas=[]"]),
    ("show crypto gdoi rekey sa detail", ["key_server_groups.0.group_name=G"]),
    # Main Mode toward the COOP peer, which never answers (doc/coop.md)
    ("show crypto isakmp sa", ["ipv4.0.dst=127.0.0.77", "ipv4.0.src=127.0.0.1",
                               "ipv4.0.state=MM_SA_SETUP", "ipv6=[]"]),
    ("show crypto gdoi gm", ["groups=[]"]),
    ("show crypto gdoi gm rekey", ["groups=[]"]),
    ("show crypto gdoi gm acl", ["groups=[]"]),
    ("show crypto gdoi ipsec sa", ["groups=[]"]),
    ("show crypto ipsec sa", ["interfaces=[]"]),
    ("show crypto session", ["sessions=[]"]),
    ("show crypto map", ["crypto_maps=[]"]),
    ("show crypto gdoi gm export-keys", ["keys=[]"]),
    # the system's shows, on the same daemon
    ("show privilege", ["privilege=15"]),
    ("show users", ["lines.0.current=true"]),
    ("show terminal", ["history_size=10"]),
    ("show running-config", ["lines.0=hostname json-ks1"]),
    ("show startup-config", ["lines.0=hostname json-ks1"]),
    ("show logging", []),
    ("show ip interface brief", ["interfaces.0.interface=lo",
                                 "interfaces.0.ip_address=127.0.0.1"]),
    ("show ip route", []),
    ("show interfaces lo", ["lo.linux_device=lo", "lo.mtu=65536"]),
    ("show crypto key mypubkey rsa", ["keys.0.key_name=REKEY",
                                      "keys.0.exportable=false"]),
    ("show crypto pki certificates", ["certificates=[]"]),
    ("show history", []),
]


def run(binary, *cmds):
    """Run the show commands on a fresh process named json-ks1."""
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "startup-config"), "w") as f:
            f.write("hostname json-ks1\n")
        p = subprocess.run([binary, "-k", d, "-f", os.path.join(d, "startup-config")] +
                           [a for c in cmds for a in ("-c", c)],
                           capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout


def vty(binary, sock, cmd):
    p = subprocess.run([binary, "-S", sock, "-c", cmd], capture_output=True,
                       text=True, timeout=30)
    return p.stdout


def check_show(binary, sock, cmd, wants):
    """cmd | json against the text of cmd; the list of what is wrong."""
    text = vty(binary, sock, cmd)
    raw = vty(binary, sock, cmd + " | json")
    try:
        doc = json.loads(raw, object_pairs_hook=json_vs_text.unique)
    except ValueError as e:
        return ["%s | json: not JSON (%s): %r" % (cmd, e, raw[:300])]
    bad = []
    for path, value in json_vs_text.leaves(doc):
        if any(w in path for w in TICKING):
            continue
        if not json_vs_text.shown(value, text):
            bad.append("%s: %s = %r is not in the text" % (cmd, path, value))
    for want in wants:
        path, _, value = want.partition("=")
        try:
            got = json_vs_text.lookup(doc, path)
        except (KeyError, IndexError, ValueError, TypeError):
            bad.append("%s: %s is missing" % (cmd, path))
            continue
        got = json.dumps(got) if not isinstance(got, str) else got
        if got != value:
            bad.append("%s: %s is %r, want %r" % (cmd, path, got, value))
    return bad


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def daemon_shows(binary):
    """Every GDOI show of a key server daemon and the system's shows,
    through its vty."""
    backend = "user" if os.geteuid() == 0 else "null"
    with tempfile.TemporaryDirectory() as d:
        cfg, sock = os.path.join(d, "startup-config"), os.path.join(d, "vty")
        with open(cfg, "w") as f:
            f.write(KS_CONFIG)
        daemon = subprocess.Popen([binary, "-d", "-B", backend, "-p",
                                   str(free_udp_port()), "-k", d, "-f", cfg,
                                   "-S", sock], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                if os.path.exists(sock):
                    break
                time.sleep(0.1)
            bad = []
            shows = KS_SHOWS[:]
            if backend == "user":
                shows.append(("show crypto gdoi gm dataplane counters",
                              ["pkts_encrypt=0", "packets_by_path.drop-no-sa=0"]))
            for cmd, wants in shows:
                bad += check_show(binary, sock, cmd, wants)
            return bad, len(shows)
        finally:
            daemon.terminate()
            daemon.wait(timeout=30)


def main():
    binary = sys.argv[1]
    bad = []
    rc, out = run(binary, "show version | json")
    ver = json.loads(out)["version"]
    for key, want in (("version", "0.1"), ("hostname", "json-ks1"),
                      ("rom", platform.release()), ("chassis_sn", platform.node()),
                      ("system_image", os.path.realpath(binary))):
        if ver.get(key) != want:
            bad.append("show version: %s is %r, want %r" % (key, ver.get(key), want))
    rc, out = run(binary, "show interfaces | json")
    ifs = json.loads(out)
    lo = ifs.get("lo", {})
    if lo.get("mtu") != 65536 or "127.0.0.1/8" not in lo.get("ipv4", {}):
        bad.append("show interfaces: lo is %r" % lo)
    rc, out = run(binary, "show interfaces lo | json")
    if list(json.loads(out)) != ["lo"]:
        bad.append("show interfaces lo: %r" % out)
    rc, out = run(binary, "show clock | json")
    if set(json.loads(out)) != {"synchronized", "time", "timezone", "date"}:
        bad.append("show clock: %r" % out)
    rc, out = run(binary, "terminal length 0 | json")
    if rc == 0 or "JSON output is not available" not in out:
        bad.append("terminal length 0 | json was not refused: %r" % out)
    more, n = daemon_shows(binary)
    bad += more
    for b in bad:
        print("json: " + b)
    print("json: show version, %d interfaces and %d daemon shows parsed"
          % (len(ifs), n))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
