#!/usr/bin/python3
"""A show command's `| json` output read with Python's JSON parser and held
against the IOS text of the same command: no key twice in an object, every
string and number in the JSON shown in the text, and each PATH=VALUE given
holding.

usage: json_vs_text.py TEXT_FILE JSON_FILE [PATH=VALUE ...]
  PATH is keys and list indexes joined by dots (groups.0.name); VALUE is
  compared with the JSON value's text (numbers in decimal, true/false).
exit 0 when every check holds.
"""
import json
import re
import sys


def leaves(node, path=""):
    """Every scalar of node with its dotted path."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, path + "." + k if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, "%s.%d" % (path, i) if path else str(i))
    else:
        yield path, node


def shown(value, text):
    """Is value printed in text (a number as a whole number)?"""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return re.search(r"(?<![0-9])%d(?![0-9])" % value, text) is not None
    # a long value (a key in hex) may be wrapped and grouped in the text
    return value == "" or value in text or value in re.sub(r"\s", "", text)


def unique(pairs):
    """An object's members, refusing a key given twice."""
    keys = [k for k, _ in pairs]
    dup = sorted(set(k for k in keys if keys.count(k) > 1))
    if dup:
        raise ValueError("key given twice: %s" % ", ".join(dup))
    return dict(pairs)


def lookup(doc, path):
    node = doc
    for part in path.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def main():
    text = open(sys.argv[1]).read()
    raw = open(sys.argv[2]).read()
    bad = []
    try:
        doc = json.loads(raw, object_pairs_hook=unique)
    except ValueError as e:
        print("json_vs_text: not JSON (%s): %r" % (e, raw[:400]))
        return 1
    n = 0
    for path, value in leaves(doc):
        n += 1
        if not shown(value, text):
            bad.append("%s = %r is not in the text" % (path, value))
    for want in sys.argv[3:]:
        path, _, value = want.partition("=")
        try:
            got = lookup(doc, path)
        except (KeyError, IndexError, ValueError, TypeError):
            bad.append("%s is missing" % path)
            continue
        got = json.dumps(got) if not isinstance(got, str) else got
        if got != value:
            bad.append("%s is %r, want %r" % (path, got, value))
    if n == 0:
        bad.append("no values")
    for b in bad:
        print("json_vs_text: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
