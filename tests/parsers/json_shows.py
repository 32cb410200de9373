#!/usr/bin/python3
"""`| json` on show version and show interfaces, read with Python's JSON
parser, checked against the host; a show command without a JSON form
refuses `| json`.

usage: json_shows.py GETVPN_BIN    (exit 0 when every check holds)
"""
import json
import os
import platform
import subprocess
import sys
import tempfile


def run(binary, *cmds):
    """Run the show commands on a fresh process named json-ks1."""
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "startup-config"), "w") as f:
            f.write("hostname json-ks1\n")
        p = subprocess.run([binary, "-k", d, "-f", os.path.join(d, "startup-config")] +
                           [a for c in cmds for a in ("-c", c)],
                           capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout


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
    if rc == 0 or "JSON output is not available" not in out:
        bad.append("show clock | json was not refused: %r" % out)
    for b in bad:
        print("json: " + b)
    print("json: show version and %d interfaces parsed" % len(ifs))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
