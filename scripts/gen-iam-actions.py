#!/usr/bin/env python3
"""Generate src/check/data/iam-actions.json, the IAM action catalogue `create-fargate-service check` ships.

Source: cfn-lint's IAM policy catalogue (src/cfnlint/data/AdditionalSpecs/Policies.json in the installed cfnlint
package; itself generated from the AWS Service Authorization Reference). Run:

    python3 scripts/gen-iam-actions.py            # writes src/check/data/iam-actions.json
    python3 scripts/gen-iam-actions.py --check    # exits 1 if the committed file differs

Format (kept small because it ships in the npm package):

    {"format": "fc1", "source": "...", "services": {"<prefix>": "<actions>"}}

<actions> is the service's lower-case action names, sorted, separated by one space and front-coded: a name that
shares its first k characters (k >= 1) with the previous name is written as the decimal k followed by the rest.
A trailing "*" marks an action with no resource-level permissions (the catalogue lists no resource type for it),
which is the only case where `"Resource": "*"` is necessary. src/check/iam-catalogue.ts decodes it.
"""
import json
import os
import re
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "check", "data", "iam-actions.json")
NAME = re.compile(r"^[a-z][a-z0-9-]*$")
PREFIX = re.compile(r"^[a-z0-9-]+$")


def load():
    import cfnlint  # noqa: WPS433 (imported here so --help works without it)
    from cfnlint.version import __version__

    path = os.path.join(os.path.dirname(cfnlint.__file__), "data", "AdditionalSpecs", "Policies.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f), f"cfn-lint {__version__} data/AdditionalSpecs/Policies.json"


def front_code(names, marks):
    out, prev = [], ""
    for name in names:
        k = 0
        limit = min(len(name), len(prev))
        while k < limit and name[k] == prev[k]:
            k += 1
        token = (str(k) if k else "") + name[k:] + ("*" if marks[name] else "")
        out.append(token)
        prev = name
    return " ".join(out)


def build():
    data, source = load()
    services = {}
    total = no_resource = 0
    for prefix in sorted(data):
        if not PREFIX.match(prefix):
            raise SystemExit(f"unexpected service prefix {prefix!r}")
        actions = data[prefix].get("Actions", {})
        names = sorted(a.lower() for a in actions)
        for n in names:
            if not NAME.match(n):
                raise SystemExit(f"unexpected action name {prefix}:{n}")
        marks = {a.lower(): not (spec or {}).get("Resources") for a, spec in actions.items()}
        total += len(names)
        no_resource += sum(marks.values())
        services[prefix] = front_code(names, marks)
    doc = {"format": "fc1", "source": source, "actions": total, "services": services}
    return json.dumps(doc, separators=(",", ":"), sort_keys=False) + "\n", total, no_resource


def main():
    text, total, no_resource = build()
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                print("src/check/data/iam-actions.json is stale; run python3 scripts/gen-iam-actions.py", file=sys.stderr)
                sys.exit(1)
        return
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(OUT)}: {total} actions ({no_resource} without resource-level permissions), "
          f"{len(text.encode())} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
