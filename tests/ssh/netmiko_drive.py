"""netmiko's cisco_ios driver against getvpn over SSH (tests/ssh/real_clients.sh).

Only what netmiko offers for an IOS router is used, with no special
settings: the prompt, show commands, enable with the secret, a
configuration set, saving.
"""
import os
import sys

from netmiko import ConnectHandler


def check(what, cond, got):
    if not cond:
        print("FAIL: %s\n%r" % (what, got))
        sys.exit(1)
    print("ok: %s" % what)


conn = ConnectHandler(device_type="cisco_ios", host="127.0.0.1",
                      port=int(os.environ["GV_PORT"]),
                      username=os.environ["GV_USER"],
                      use_keys=True, key_file=os.environ["GV_KEY"],
                      allow_agent=False, secret="cisco")
prompt = conn.find_prompt()
check("find_prompt in user EXEC", prompt == "GV-SSH>", prompt)
out = conn.send_command("show privilege")
check("show privilege 1", out.strip() == "Current privilege level is 1", out)
out = conn.send_command("configure terminal")
check("configure refused below privilege 15", "% Invalid input" in out, out)
conn.enable()
prompt = conn.find_prompt()
check("enable", prompt == "GV-SSH#", prompt)
out = conn.send_command("show privilege")
check("show privilege 15", out.strip() == "Current privilege level is 15", out)
out = conn.send_command("show running-config | include " + "x" * 100)
check("long command echo not wrapped", out.strip() == "", out)
out = conn.send_command("show foo | include X")
check("error visible under a filter", "% Invalid input" in out, out)
out = conn.send_command("show running-config ?")
check("? is help", "Output modifiers" in out, out)
out = conn.send_config_set(["crypto isakmp policy 20", "encr aes 256",
                            "hash sha256"])
check("send_config_set", "Invalid" not in out, out)
out = conn.send_command("show running-config | section policy 20")
check("configuration applied", "hash sha256" in out and "encr aes 256" in out,
      out)
out = conn.save_config()
check("save_config", "[OK]" in out, out)
with open(os.path.join(os.environ["GV_DIR"], "startup-config")) as f:
    saved = f.read()
check("saved to the startup-config", "crypto isakmp policy 20" in saved, saved)
conn.disconnect()
print("netmiko: all passed")
