#!/usr/bin/env python3
"""Lints IAM policy documents with parliament (https://github.com/duo-labs/parliament).

Each file holds one policy document ({"Version", "Statement"}) or an object of named documents,
as `cinch policy --format json` writes them. Prints one line per finding:
    FILE [DOCUMENT]: SEVERITY ISSUE detail
and exits 1 when any finding is above INFO, 3 when parliament cannot be imported, 0 otherwise.
"""
import json
import sys

try:
    import parliament
    from parliament import analyze_policy_string
except Exception as error:  # noqa: BLE001 - any import failure means "not available"
    print(f"iam-lint: parliament is not available: {error}", file=sys.stderr)
    sys.exit(3)


def severity(issue):
    return parliament.config.get(issue, {}).get("severity", "UNKNOWN")


def documents(path):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if "Version" in data and "Statement" in data:
        return [("", data)]
    return list(data.items())


def main(paths):
    failed = False
    for path in paths:
        for name, document in documents(path):
            policy = analyze_policy_string(json.dumps(document))
            for finding in policy.findings:
                level = severity(finding.issue)
                label = f"{path} [{name}]" if name else path
                print(f"{label}: {level} {finding.issue} {finding.detail}")
                if level != "INFO":
                    failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
