#!/usr/bin/python3
"""Parse getvpn's show version and show interfaces with the code of
Ansible's cisco.ios collection (cliconf get_device_info and the legacy
ios_facts parsers) and check the facts against this host.

usage: ios_facts.py GETVPN_BIN    (exit 0 when every fact is right)
"""
import os
import platform
import subprocess
import sys
import tempfile

from ansible_collections.cisco.ios.plugins.cliconf.ios import Cliconf
from ansible_collections.cisco.ios.plugins.module_utils.network.ios.facts.legacy.base import (
    Default, Interfaces)


def run(binary, *cmds):
    with tempfile.TemporaryDirectory() as keys:
        lines = "hostname facts-gm1\nend\nterminal length 0\n" + "".join(c + "\n" for c in cmds)
        p = subprocess.run([binary, "-k", keys], input="enable\nconfigure terminal\n" + lines,
                           capture_output=True, text=True, timeout=30)
    return p.stdout


def device_info(text):
    class Conn:
        _device_info = None
        def _update_cli_prompt_context(self, **kw):
            pass
        def get(self, command):
            return text
        def check_device_type(self):
            return "IOS"
    return Cliconf.get_device_info(Conn())


def main():
    binary = sys.argv[1]
    ver = run(binary, "show version")
    info = device_info(ver)
    want = {"network_os_version": "0.1", "network_os_model": "getvpn",
            "network_os_hostname": "facts-gm1",
            "network_os_image": os.path.realpath(binary)}
    bad = {k: (info.get(k), v) for k, v in want.items() if info.get(k) != v}
    d = Default.__new__(Default)
    if d.parse_serialnum(ver) != platform.node():
        bad["serialnum"] = (d.parse_serialnum(ver), platform.node())
    i = Interfaces.__new__(Interfaces)
    i.facts = {}
    ifs = i.populate_interfaces(i.parse_interfaces(run(binary, "show interfaces")))
    lo = ifs.get("lo", {})
    if lo.get("lineprotocol") != "up" or lo.get("mtu") != 65536:
        bad["lo"] = (lo, "up, mtu 65536")
    for k, (got, exp) in bad.items():
        print("ios_facts: %s is %r, want %r" % (k, got, exp))
    print("ios_facts: %d interfaces, version %s, model %s" %
          (len(ifs), info.get("network_os_version"), info.get("network_os_model")))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
