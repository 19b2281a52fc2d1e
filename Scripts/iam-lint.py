#!/usr/bin/env python3
"""Lints IAM policy documents with parliament (https://github.com/duo-labs/parliament).

Each file holds one policy document ({"Version", "Statement"}) or an object of named documents,
as `cinch policy --format json` writes them. Prints one line per finding:
    FILE [DOCUMENT]: SEVERITY ISSUE detail
and exits 1 when any finding is above INFO, 3 when parliament cannot be imported, 0 otherwise.
"""
import json
import re
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


# What parliament's data predates, each as AWS documents it:
# - AWS's public parameters have no account in their ARNs (`arn:aws:ssm:REGION::parameter/aws/service/…`,
#   https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-public-parameters.html),
#   which its `arn:*:ssm:*:*:parameter/*` format rejects: they are linted with `*` as the account;
# - the European Sovereign Cloud's partition, `aws-eusc`
#   (https://docs.aws.amazon.com/general/latest/gr/aws-arns-and-namespaces.html).
PUBLIC_PARAMETERS = re.compile(r"(arn:[a-z-]+:ssm:[a-z0-9-]+)::parameter/aws/service")


def known_to_aws(finding):
    location = finding.location or {}
    return finding.issue == "INVALID_ARN" and str(location.get("string", "")).startswith(
        "arn:aws-eusc:"
    )


def main(paths):
    failed = False
    for path in paths:
        for name, document in documents(path):
            text = PUBLIC_PARAMETERS.sub(r"\1:*:parameter/aws/service", json.dumps(document))
            policy = analyze_policy_string(text)
            for finding in policy.findings:
                if known_to_aws(finding):
                    continue
                level = severity(finding.issue)
                label = f"{path} [{name}]" if name else path
                print(f"{label}: {level} {finding.issue} {finding.detail}")
                if level != "INFO":
                    failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
