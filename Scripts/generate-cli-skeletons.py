#!/usr/bin/env python3
"""Writes Sources/CinchCLI/AWSOutput/Command/AWSInputSkeletons.swift: the request members of
every operation `cinch ssm|secretsmanager|kms|iam …` runs, in the order and with the types of
the service's API model, for `--generate-cli-skeleton`.

The operations and the members each command accepts are read from the command sources
(`AWSCommand.run("Op", …)` and the `validateKeys(allowed: […])` that follows it); the types,
order, required members and enum values from botocore's models (the aws CLI's own source of
truth), which must be importable when this runs (it is where boto3 is). Neither is needed to
build or test cinch: the output is committed; `--check` says whether it is current.

Usage: Scripts/generate-cli-skeletons.py [--check]
"""

import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "Sources/CinchCLI/AWSOutput/Command/AWSInputSkeletons.swift")
COMMANDS = os.path.join(ROOT, "Sources/CinchCLI/Store")
SERVICES = {"SSM": "ssm", "SecretsManager": "secretsmanager", "KMS": "kms", "IAM": "iam"}

RUN = re.compile(r'AWSCommand\.run\(\s*"(\w+)"')
ALLOWED = re.compile(r"validateKeys\(allowed:\s*(?:\[(.*?)\]|(?:\w+\.)?(\w+)\))", re.S)
STRING = re.compile(r'"([A-Za-z]+)"')


def named_list(name):
    """The strings of `static let NAME = [ … ]` somewhere in the CLI's sources."""
    pattern = re.compile(r"static let " + name + r"(?:: \[String\])? = \[(.*?)\]", re.S)
    for folder, _, files in os.walk(os.path.join(ROOT, "Sources/CinchCLI")):
        for file in files:
            found = pattern.search(open(os.path.join(folder, file), encoding="utf-8").read())
            if found:
                return STRING.findall(found.group(1))
    raise SystemExit(f"no list named {name} in Sources/CinchCLI")


def operations():
    """(service, operation, allowed members or None) for every command source."""
    found = {}
    for folder, service in SERVICES.items():
        directory = os.path.join(COMMANDS, folder)
        for name in sorted(os.listdir(directory)):
            text = open(os.path.join(directory, name), encoding="utf-8").read()
            matches = list(RUN.finditer(text))
            for index, match in enumerate(matches):
                end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
                allowed = ALLOWED.search(text, match.end(), end)
                members = None
                if allowed and allowed.group(1) is not None:
                    members = STRING.findall(allowed.group(1))
                elif allowed:
                    members = named_list(allowed.group(2))
                found[(service, match.group(1))] = members
    return found


def load_model(service):
    import botocore.session

    session = botocore.session.get_session()
    return session.get_service_model(service)


def skeleton(shape, depth=0, stack=()):
    """A member tree: (kind, detail) with kind string|enum|integer|double|boolean|timestamp|
    blob|list|map|structure."""
    if shape.name in stack and shape.type_name == "structure":
        return ("structure", [])
    stack = stack + (shape.name,)
    kind = shape.type_name
    if kind == "string":
        enum = list(getattr(shape, "enum", []) or [])
        return ("enum", enum) if enum else ("string", None)
    if kind in ("integer", "long"):
        return ("integer", None)
    if kind in ("float", "double"):
        return ("double", None)
    if kind in ("boolean", "timestamp", "blob"):
        return (kind, None)
    if kind == "list":
        return ("list", skeleton(shape.member, depth + 1, stack))
    if kind == "map":
        return ("map", skeleton(shape.value, depth + 1, stack))
    if kind == "structure":
        required = set(shape.required_members)
        return (
            "structure",
            [(name, name in required, skeleton(member, depth + 1, stack)) for name, member in shape.members.items()],
        )
    raise SystemExit(f"unknown shape type {kind} ({shape.name})")


def swift_member(tree, indent):
    kind, detail = tree
    pad = " " * indent
    if kind == "enum":
        return f".enumeration({json.dumps(detail)})"
    if kind in ("string", "integer", "double", "boolean", "timestamp", "blob"):
        return f".{kind}"
    if kind in ("list", "map"):
        return f".{kind}({swift_member(detail, indent)})"
    members = []
    for name, required, member in detail:
        members.append(f'{pad}  .init("{name}", required: {str(required).lower()}, {swift_member(member, indent + 2)}),')
    if not members:
        return ".structure([])"
    return ".structure([\n" + "\n".join(members) + f"\n{pad}])"


def generate():
    models = {}
    entries = []
    problems = []
    for (service, operation), allowed in sorted(operations().items()):
        model = models.get(service) or models.setdefault(service, load_model(service))
        if operation not in model.operation_names:
            continue  # cinch's own operations (PutPublicParameter) have no AWS skeleton
        input_shape = model.operation_model(operation).input_shape
        tree = skeleton(input_shape) if input_shape is not None else ("structure", [])
        if allowed is not None:
            # Members the API has but cinch refuses are left out; cinch's own extensions
            # (RotateSecret's CinchPasswordPolicy) are not AWS's to describe.
            tree = ("structure", [member for member in tree[1] if member[0] in allowed])
        elif not tree[1]:
            pass
        else:
            problems.append(f"{operation}: no validateKeys(allowed:) list found in its command")
        entries.append((service, operation, tree))
    if problems:
        raise SystemExit("\n".join(problems))
    lines = [
        "// Generated by Scripts/generate-cli-skeletons.py from botocore's API models; do not edit.",
        "",
        "/// The request members of each operation, as `--generate-cli-skeleton` prints them: the",
        "/// members the command accepts, in the API model's order, with their types.",
        "extension AWSInputSkeleton {",
        "  static let operations: [String: AWSInputSkeleton.Shape] = [",
    ]
    outputs = {}
    for service, operation, _ in entries:
        outputs[operation] = sample_output(models[service], operation)
    names = [operation for _, operation, _ in entries]
    if len(set(names)) != len(names):
        raise SystemExit("two services share an operation name: key the table by service too")
    for _, operation, tree in entries:
        lines.append(f'    "{operation}": {swift_member(tree, 4)},')
    lines += [
        "  ]",
        "",
        "  /// What `--generate-cli-skeleton output` prints for each operation, through `--output` and",
        "  /// `--query`: botocore's sample of the output shape, every string its member's name.",
        "  static let outputs: [String: String] = [",
    ]
    for operation in names:
        lines.append(f'    "{operation}": #"{outputs[operation]}"#,')
    lines += ["  ]", "}", ""]
    return "\n".join(lines)


def sample_output(model, operation):
    """botocore's `ArgumentGenerator(use_member_names=True)` sample of the output shape, as the
    aws CLI's `--generate-cli-skeleton output` stubs it, in compact JSON."""
    import datetime

    from botocore.utils import ArgumentGenerator

    shape = model.operation_model(operation).output_shape
    sample = ArgumentGenerator(use_member_names=True).generate_skeleton(shape) if shape else {}

    def encode(value):
        if isinstance(value, datetime.datetime):
            return value.isoformat()
        raise TypeError(type(value))

    return json.dumps(sample, separators=(",", ":"), default=encode)


def formatted(text):
    """The generated source as `swift format` leaves it, so `make lint` passes and a re-run
    compares equal."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".swift", delete=False) as temp:
        temp.write(text)
    try:
        subprocess.run(["swift", "format", "format", "--in-place", temp.name], check=True, cwd=ROOT)
        return open(temp.name, encoding="utf-8").read()
    finally:
        os.unlink(temp.name)


def main():
    text = formatted(generate())
    if "--check" in sys.argv[1:]:
        current = open(OUTPUT, encoding="utf-8").read() if os.path.exists(OUTPUT) else ""
        if current != text:
            raise SystemExit(f"{os.path.relpath(OUTPUT, ROOT)} is out of date: run {os.path.relpath(__file__, ROOT)}")
        return
    with open(OUTPUT, "w", encoding="utf-8") as out:
        out.write(text)


if __name__ == "__main__":
    main()
