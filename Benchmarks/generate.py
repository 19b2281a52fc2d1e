#!/usr/bin/env python3
"""Synthetic but realistic CloudFormation templates for the benchmarks, and the store they read.

For each size N (resources) this writes, under the output folder (default Benchmarks/out/inputs):

  bench-N.yaml         the template in YAML: short-form tags (!Sub, !Join, !GetAtt, !Ref, !Base64),
                       comments (some quoting reference-like text that is not a reference), plain,
                       single-quoted, double-quoted and literal block scalars, flow sequences
  bench-N.json         the same template as JSON (long-form intrinsics)
  bench-N.seed.json    every parameter and secret the template reads, with values and history, in
                       the shape of the store commands' requests (see `seed_document`)
  bench-N.seed.tsv     the same entries flattened for the C floor (see Benchmarks/floor/floor.c)
  bench-N.params.json  the template parameter values, in CloudFormation's ParameterKey/Value form
  bench-N.manifest.json  what was generated: counts of resources and references by kind, sizes

Resources come in services of ten (RDS, Lambda, two ECS, two EC2, two SSM, two IAM), three
dynamic references per resource on average, all three kinds: `ssm`, `ssm-secure` with a pinned
version (only in properties CloudFormation accepts it in), and `secretsmanager` with a JSON key.
Some references sit inside `!Sub` strings next to `${Env}`, some inside `!Join` lists, some mid-way
through plain scalars and two to a string. Output is a pure function of the size and the seed.

Standard library only: `python3 Benchmarks/generate.py [--out DIR] [--seed S] [SIZE ...]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import uuid
from dataclasses import dataclass, field

DEFAULT_SIZES = [100, 500, 1000, 10000]
DEFAULT_SEED = 12
ENV = "prod"

# --------------------------------------------------------------------------------------------
# A small template model that prints as YAML (short forms, chosen quoting, comments) and as JSON.


@dataclass
class Str:
    """A string scalar with the quoting it gets in YAML."""

    text: str
    style: str = "plain"  # plain | single | double | literal


@dataclass
class Raw:
    """A YAML plain scalar that is a number or boolean in JSON too."""

    text: str
    json_value: object


@dataclass
class Fn:
    """An intrinsic: `!Name arg` in YAML, `{"Fn::Name": arg}` (or `{"Ref": arg}`) in JSON."""

    name: str  # Sub, Join, GetAtt, Ref, Base64, Select, GetAZs
    arg: object


@dataclass
class Seq:
    items: list
    flow: bool = False


@dataclass
class Map:
    entries: list = field(default_factory=list)  # (key, value, comment-lines-before)

    def add(self, key, value, comment=None):
        self.entries.append((key, value, comment))
        return self


YAML_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


def plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or "\n" in text:
        return False
    if text[0] in YAML_INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and any(c in text for c in ",[]{}"):
        return False
    lowered = text.lower()
    if lowered in {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}:
        return False
    try:
        float(text)
        return False
    except ValueError:
        return True


def yaml_scalar(node, flow=False) -> str:
    if isinstance(node, Raw):
        return node.text
    assert isinstance(node, Str)
    style = node.style
    if style == "plain" and not plain_ok(node.text, flow):
        style = "single"
    if style == "plain":
        return node.text
    if style == "single":
        return "'" + node.text.replace("'", "''") + "'"
    if style == "double":
        return '"' + node.text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    raise ValueError(style)


def yaml_flow(node) -> str:
    if isinstance(node, (Str, Raw)):
        return yaml_scalar(node, flow=True)
    if isinstance(node, Seq):
        return "[" + ", ".join(yaml_flow(item) for item in node.items) + "]"
    if isinstance(node, Fn):
        return f"!{node.name} {yaml_flow(node.arg)}"
    if isinstance(node, Map):
        return "{" + ", ".join(f"{k}: {yaml_flow(v)}" for k, v, _ in node.entries) + "}"
    raise TypeError(node)


def yaml_inline(node, indent: int):
    """The text after `key:` or `- ` when the value fits on that line, else None."""
    if isinstance(node, Str) and node.style == "literal":
        return None
    if isinstance(node, (Str, Raw)):
        return yaml_scalar(node)
    if isinstance(node, Seq) and node.flow:
        return yaml_flow(node)
    if isinstance(node, Fn):
        if isinstance(node.arg, (Str, Raw)) and not (
            isinstance(node.arg, Str) and node.arg.style == "literal"
        ):
            return f"!{node.name} {yaml_scalar(node.arg)}"
        if isinstance(node.arg, Seq) and node.arg.flow:
            return f"!{node.name} {yaml_flow(node.arg)}"
    return None


def yaml_lines(node, indent: int, out: list):
    pad = " " * indent
    if isinstance(node, Map):
        for key, value, comment in node.entries:
            for line in comment or []:
                out.append(f"{pad}# {line}" if line else f"{pad}#")
            inline = yaml_inline(value, indent)
            if inline is not None:
                out.append(f"{pad}{key}: {inline}")
            elif isinstance(value, Str):  # literal block
                out.append(f"{pad}{key}: |")
                for text_line in value.text.rstrip("\n").split("\n"):
                    out.append(f"{pad}  {text_line}" if text_line else "")
            elif isinstance(value, Fn):
                if isinstance(value.arg, Str):  # tagged literal block
                    out.append(f"{pad}{key}: !{value.name} |")
                    for text_line in value.arg.text.rstrip("\n").split("\n"):
                        out.append(f"{pad}  {text_line}" if text_line else "")
                elif isinstance(value.arg, Fn):
                    inner = yaml_inline(value.arg, indent)
                    if inner is not None:
                        out.append(f"{pad}{key}: !{value.name} {inner}")
                    else:
                        # Two tags cannot sit on one node: the outer function takes its long
                        # form, as templates write `Fn::Base64: !Sub |`.
                        assert isinstance(value.arg.arg, Str)
                        out.append(f"{pad}{key}:")
                        out.append(f"{pad}  Fn::{value.name}: !{value.arg.name} |")
                        for text_line in value.arg.arg.text.rstrip("\n").split("\n"):
                            out.append(f"{pad}    {text_line}" if text_line else "")
                else:
                    out.append(f"{pad}{key}: !{value.name}")
                    yaml_lines(value.arg, indent + 2, out)
            elif isinstance(value, Seq) and not value.items:
                out.append(f"{pad}{key}: []")
            else:
                out.append(f"{pad}{key}:")
                yaml_lines(value, indent + 2 if isinstance(value, Map) else indent + 2, out)
    elif isinstance(node, Seq):
        for item in node.items:
            if isinstance(item, Map):
                first = True
                sub: list = []
                yaml_lines(item, indent + 2, sub)
                for line in sub:
                    if first and not line.lstrip().startswith("#"):
                        out.append(f"{pad}- {line[indent + 2:]}")
                        first = False
                    else:
                        out.append(line)
            else:
                inline = yaml_inline(item, indent)
                assert inline is not None, item
                out.append(f"{pad}- {inline}")
    else:
        raise TypeError(node)


def to_json(node):
    if isinstance(node, Str):
        return node.text
    if isinstance(node, Raw):
        return node.json_value
    if isinstance(node, Seq):
        return [to_json(item) for item in node.items]
    if isinstance(node, Map):
        return {k: to_json(v) for k, v, _ in node.entries}
    if isinstance(node, Fn):
        if node.name == "Ref":
            return {"Ref": to_json(node.arg)}
        if node.name == "GetAtt" and isinstance(node.arg, Str):
            return {"Fn::GetAtt": node.arg.text.split(".", 1)}
        return {f"Fn::{node.name}": to_json(node.arg)}
    raise TypeError(node)


# --------------------------------------------------------------------------------------------
# The store the template reads.


class Store:
    """Every parameter and secret the template reads, with values, created on first use."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.parameters: dict[str, dict] = {}
        self.secrets: dict[str, dict] = {}

    def password(self, length: int) -> str:
        # Realistic generated passwords: letters, digits and the punctuation password policies
        # allow, quotes, '#' and ':' included (so inline rendering has to quote), no '$' or '\'.
        alphabet = (
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789" + "!#%&*()-_=+[]{}<>:?.,'\"~^"
        )
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def token(self, length: int) -> str:
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def parameter(self, name: str, kind: str, make_value, versions: int = 1) -> str:
        if name not in self.parameters:
            self.parameters[name] = {
                "Name": name,
                "Type": "SecureString" if kind == "secure" else "String",
                "Values": [make_value() for _ in range(versions)],
            }
        return name

    def secret(self, name: str, make_fields) -> str:
        if name not in self.secrets:
            self.secrets[name] = {
                "Name": name,
                "ClientRequestToken": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
                "Fields": make_fields(),
            }
        return name


# --------------------------------------------------------------------------------------------
# Resources


SERVICE_WORDS = [
    "orders", "billing", "catalog", "payments", "search", "inventory", "shipping", "accounts",
    "ledger", "reports", "notify", "media", "auth", "pricing", "reviews", "checkout", "profile",
    "gateway", "audit", "metrics", "export", "import", "scheduler", "quotes", "claims", "loyalty",
]
TEAMS = ["platform", "commerce", "data", "identity", "growth", "finance"]
TIERS = ["small", "medium", "large"]


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))


class Generator:
    def __init__(self, size: int, seed: int):
        self.size = size
        self.rng = random.Random(f"{seed}:{size}")
        self.store = Store(self.rng)

    # References --------------------------------------------------------------------------

    def ssm(self, name: str, make_value) -> str:
        """`{{resolve:ssm:NAME}}`; `NAME` may hold `${Env}` (then the text must sit in a !Sub)."""
        self.store.parameter(name.replace("${Env}", ENV), "plain", make_value)
        return "{{resolve:ssm:" + name + "}}"

    def ssm_secure(self, name: str, versions: int, pinned: int) -> str:
        self.store.parameter(name, "secure", lambda: self.store.password(self.rng.randint(20, 32)), versions)
        return "{{resolve:ssm-secure:" + name + f":{pinned}}}}}"

    def secret(self, name: str, key: str, make_fields) -> str:
        self.store.secret(name, make_fields)
        return "{{resolve:secretsmanager:" + name + ":SecretString:" + key + "}}"

    # Store entries of one service ----------------------------------------------------------

    def db_host(self, svc: str) -> str:
        return self.ssm(
            f"/bench/${{Env}}/{svc}/db/host",
            lambda: f"{svc}-{ENV}.cluster-{self.store.token(12)}.eu-west-1.rds.amazonaws.com"
        )

    def db_port(self) -> str:
        return self.ssm("/bench/rds/port/postgres", lambda: "5432")

    def db_secret(self, svc: str, key: str) -> str:
        return self.secret(
            f"bench/{svc}/db",
            key,
            lambda: {
                "engine": "postgres",
                "username": f"{svc}_admin",
                "password": self.store.password(28),
                "dbname": svc,
            },
        )

    def api_secret(self, svc: str, key: str) -> str:
        return self.secret(
            f"bench/{svc}/api",
            key,
            lambda: {"key": self.store.token(40), "signing-secret": self.store.password(32)},
        )

    def owner(self, team: str) -> str:
        return self.ssm(f"/bench/teams/{team}/owner", lambda: f"{team}-oncall@example.com")

    def log_level(self) -> str:
        return self.ssm("/bench/${Env}/log-level", lambda: "info")

    # One service: ten resources, thirty references ------------------------------------------

    def service(self, index: int, count: int) -> list:
        word = SERVICE_WORDS[index % len(SERVICE_WORDS)]
        svc = word if index < len(SERVICE_WORDS) else f"{word}{index // len(SERVICE_WORDS)}"
        Svc = camel(svc)
        team = TEAMS[index % len(TEAMS)]
        tier = TIERS[self.rng.randrange(len(TIERS))]
        rng = self.rng
        pw_versions = rng.randint(1, 4)
        pw_pinned = rng.randint(1, pw_versions)
        resources = []

        # EC2 security group (3 references: two in one ingress rule, one mid-way through a plain scalar)
        sg = Map()
        sg.add("Type", Str("AWS::EC2::SecurityGroup"))
        cidr = self.ssm("/bench/network/admin-cidr", lambda: "10.20.0.0/16")
        sg.add(
            "Properties",
            Map()
            .add("GroupDescription", Fn("Sub", Str(f"{svc} ${{Env}} database and admin access", "double")))
            .add("VpcId", Fn("Ref", Str("VpcId")))
            .add(
                "SecurityGroupIngress",
                Seq(
                    [
                        Map()
                        .add("IpProtocol", Str("tcp"))
                        .add("FromPort", Str(self.db_port(), "single"))
                        .add("ToPort", Str(self.db_port(), "single"))
                        .add("CidrIp", Str(cidr, "single"))
                        .add("Description", Str("admin network", "plain")),
                    ]
                ),
                ["Port and network come from Parameter Store so every service follows one change."],
            )
            .add("Tags", Seq([Map().add("Key", Str("service")).add("Value", Str(svc))])),
        )
        resources.append((f"{Svc}SecurityGroup", sg, [f"service {index}: {svc} (team {team})"]))

        # RDS instance (3 references: ssm, secretsmanager username, ssm-secure password)
        commented = rng.random() < 0.3
        props = (
            Map()
            .add("DBInstanceIdentifier", Fn("Sub", Str(f"{svc}-${{Env}}-postgres", "single")))
            .add("Engine", Str("postgres"))
            .add("EngineVersion", Str("16.9", "single"))
            .add(
                "DBInstanceClass",
                Str(self.ssm(f"/bench/rds/instance-class/{tier}", lambda: f"db.r6g.{tier.replace('small', 'large')}"), "single"),
            )
            .add("AllocatedStorage", Str(str(rng.choice([50, 100, 200, 500])), "single"))
            .add("StorageEncrypted", Raw("true", True))
            .add("MultiAZ", Raw("true", True))
            .add("DBName", Str(svc))
            .add("MasterUsername", Str(self.db_secret(svc, "username"), "double"))
            .add(
                "MasterUserPassword",
                Str(self.ssm_secure(f"/bench/{svc}/db/master-password", pw_versions, pw_pinned), "single"),
                (
                    [
                        "Pinned to the version the database was created with. The previous setting was:",
                        "MasterUserPassword: '{{resolve:secretsmanager:" + f"bench/{svc}/db" + ":SecretString:password}}'",
                    ]
                    if commented
                    else None
                ),
            )
            .add("VPCSecurityGroups", Seq([Fn("GetAtt", Str(f"{Svc}SecurityGroup.GroupId"))]))
        )
        db = Map().add("Type", Str("AWS::RDS::DBInstance"))
        db.add("DeletionPolicy", Str("Snapshot")).add("UpdateReplacePolicy", Str("Snapshot"))
        db.add("Properties", props)
        resources.append((f"{Svc}Database", db, None))

        # IAM role (2 references in tags and description)
        role = Map().add("Type", Str("AWS::IAM::Role"))
        role.add(
            "Properties",
            Map()
            .add("Description", Fn("Sub", Str(f"{svc} in ${{Env}}, log level {self.log_level()}", "single")))
            .add(
                "AssumeRolePolicyDocument",
                Map()
                .add("Version", Str("2012-10-17", "single"))
                .add(
                    "Statement",
                    Seq(
                        [
                            Map()
                            .add("Effect", Str("Allow"))
                            .add("Principal", Map().add("Service", Seq([Str("lambda.amazonaws.com"), Str("ecs-tasks.amazonaws.com")])))
                            .add("Action", Str("sts:AssumeRole"))
                        ]
                    ),
                ),
            )
            .add("ManagedPolicyArns", Seq([Fn("Sub", Str("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"))]))
            .add(
                "Policies",
                Seq(
                    [
                        Map()
                        .add("PolicyName", Str(f"read-{svc}-secrets"))
                        .add(
                            "PolicyDocument",
                            Map()
                            .add("Version", Str("2012-10-17", "single"))
                            .add(
                                "Statement",
                                Seq(
                                    [
                                        Map()
                                        .add("Effect", Str("Allow"))
                                        .add("Action", Str("secretsmanager:GetSecretValue"))
                                        .add(
                                            "Resource",
                                            Fn("Sub", Str(f"arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:bench/{svc}/*")),
                                        )
                                    ]
                                ),
                            ),
                        )
                    ]
                ),
            )
            .add("Tags", Seq([Map().add("Key", Str("owner")).add("Value", Str(f"team {self.owner(team)}", "plain"))])),
        )
        resources.append((f"{Svc}Role", role, ["What the service's code runs as; it reads its own secrets only."]))

        # Lambda function (4 references: two in !Sub with ${Env}, one in !Join, one in a !Sub next to text)
        fn = Map().add("Type", Str("AWS::Lambda::Function"))
        memory = rng.choice([256, 512, 1024])
        fn.add(
            "Properties",
            Map()
            .add("FunctionName", Fn("Sub", Str(f"{svc}-${{Env}}-handler")))
            .add("Runtime", Str("python3.12"))
            .add("Handler", Str("app.handler"))
            .add("MemorySize", Raw(str(memory), memory))
            .add("Timeout", Raw("30", 30))
            .add("Role", Fn("GetAtt", Str(f"{Svc}Role.Arn")))
            .add(
                "Code",
                Map()
                .add("S3Bucket", Fn("Sub", Str(self.ssm("/bench/${Env}/artifacts/bucket", lambda: f"bench-{ENV}-artifacts-{self.store.token(8)}"), "single")))
                .add("S3Key", Str(f"{svc}/handler-{rng.randint(100, 999)}.zip")),
            )
            .add(
                "Environment",
                Map().add(
                    "Variables",
                    Map()
                    .add("DB_HOST", Fn("Sub", Str(self.db_host(svc), "double")))
                    .add("API_KEY", Fn("Join", Seq([Str(""), Seq([Str(self.api_secret(svc, "key"), "single")], flow=True)], flow=True)))
                    .add("LOG_LEVEL", Fn("Sub", Str(self.log_level(), "single")))
                    .add("SERVICE", Str(svc)),
                ),
            ),
        )
        resources.append((f"{Svc}Function", fn, None))

        # ECS task definition (3 references: image tag in !Join, port, username)
        task = Map().add("Type", Str("AWS::ECS::TaskDefinition"))
        image_tag = self.ssm(f"/bench/{svc}/image-tag", lambda: f"1.{rng.randint(0, 40)}.{rng.randint(0, 20)}")
        task.add(
            "Properties",
            Map()
            .add("Family", Fn("Sub", Str(f"{svc}-${{Env}}")))
            .add("Cpu", Str("512", "single"))
            .add("Memory", Str("1024", "single"))
            .add("NetworkMode", Str("awsvpc"))
            .add("RequiresCompatibilities", Seq([Str("FARGATE")], flow=True))
            .add("ExecutionRoleArn", Fn("GetAtt", Str(f"{Svc}Role.Arn")))
            .add(
                "ContainerDefinitions",
                Seq(
                    [
                        Map()
                        .add("Name", Str("app"))
                        .add("Image", Fn("Join", Seq([Str(":"), Seq([Str(f"registry.example.com/{svc}/api"), Str(image_tag, "single")], flow=True)], flow=True)))
                        .add("Essential", Raw("true", True))
                        .add("PortMappings", Seq([Map().add("ContainerPort", Raw("8080", 8080))]))
                        .add(
                            "Environment",
                            Seq(
                                [
                                    Map().add("Name", Str("DB_PORT")).add("Value", Str(self.db_port(), "double")),
                                    Map().add("Name", Str("DB_USER")).add("Value", Str(self.db_secret(svc, "username"), "single")),
                                ]
                            ),
                        )
                        .add(
                            "Secrets",
                            Seq(
                                [
                                    Map()
                                    .add("Name", Str("DB_PASSWORD"))
                                    .add("ValueFrom", Fn("Sub", Str(f"arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:bench/{svc}/db"))),
                                ]
                            ),
                            ["Read by ECS when the task starts, not by CloudFormation."],
                        )
                    ]
                ),
            ),
        )
        resources.append((f"{Svc}TaskDefinition", task, None))

        # ECS service (3 references)
        ecs = Map().add("Type", Str("AWS::ECS::Service"))
        ecs.add(
            "Properties",
            Map()
            .add("ServiceName", Fn("Sub", Str(f"{svc}-${{Env}}")))
            .add("Cluster", Fn("Ref", Str("Cluster")))
            .add("TaskDefinition", Fn("Ref", Str(f"{Svc}TaskDefinition")))
            .add("LaunchType", Str("FARGATE"))
            .add("DesiredCount", Str(self.ssm(f"/bench/ecs/desired-count/{tier}", lambda: str(TIERS.index(tier) + 2)), "single"))
            .add(
                "NetworkConfiguration",
                Map().add(
                    "AwsvpcConfiguration",
                    Map()
                    .add("Subnets", Fn("Ref", Str("SubnetIds")))
                    .add("SecurityGroups", Seq([Fn("GetAtt", Str(f"{Svc}SecurityGroup.GroupId"))])),
                ),
            )
            .add(
                "Tags",
                Seq(
                    [
                        Map().add("Key", Str("owner")).add("Value", Str(self.owner(team), "double")),
                        Map().add("Key", Str("image")).add("Value", Str(f"registry.example.com/{svc}/api:{image_tag}", "plain")),
                    ]
                ),
            ),
        )
        resources.append((f"{Svc}Service", ecs, None))

        # EC2 instance (3 references; UserData holds none, as CloudFormation requires)
        inst = Map().add("Type", Str("AWS::EC2::Instance"))
        inst.add(
            "Properties",
            Map()
            .add("ImageId", Str(self.ssm("/bench/ami/al2023", lambda: f"ami-{self.store.token(17)}"), "single"))
            .add("InstanceType", Str(self.ssm(f"/bench/ec2/instance-type/{tier}", lambda: f"m7g.{tier.replace('small', 'large')}"), "double"))
            .add("SubnetId", Fn("Select", Seq([Raw("0", 0), Fn("Ref", Str("SubnetIds"))], flow=True)))
            .add("SecurityGroupIds", Seq([Fn("GetAtt", Str(f"{Svc}SecurityGroup.GroupId"))]))
            .add(
                "UserData",
                Fn("Base64", Fn("Sub", Str(f"#!/bin/bash\nset -euo pipefail\necho {svc}-${{Env}} > /etc/hostname\nsystemctl enable --now amazon-ssm-agent\n", "literal"))),
                ["No reference in UserData: CloudFormation passes it through unresolved."],
            )
            .add("Tags", Seq([Map().add("Key", Str("Name")).add("Value", Fn("Sub", Str(f"{svc}-${{Env}}-bastion"))), Map().add("Key", Str("owner")).add("Value", Str(self.owner(team), "single"))])),
        )
        resources.append((f"{Svc}Bastion", inst, None))

        # SSM parameter: a connection string with three references in one !Sub string
        dsn = Map().add("Type", Str("AWS::SSM::Parameter"))
        dsn.add(
            "Properties",
            Map()
            .add("Name", Fn("Sub", Str(f"/bench/${{Env}}/{svc}/dsn")))
            .add("Type", Str("String"))
            .add(
                "Value",
                Fn(
                    "Sub",
                    Str(
                        f"postgresql://{self.db_secret(svc, 'username')}@{self.db_host(svc)}:{self.db_port()}/{svc}?sslmode=require",
                        "single",
                    ),
                ),
            ),
        )
        resources.append((f"{Svc}Dsn", dsn, ["Derived, non-secret connection settings for tools."]))

        # SSM parameter: a literal block of configuration with three references
        conf = Map().add("Type", Str("AWS::SSM::Parameter"))
        conf.add(
            "Properties",
            Map()
            .add("Name", Fn("Sub", Str(f"/bench/${{Env}}/{svc}/config")))
            .add("Type", Str("String"))
            .add("Tier", Str("Standard"))
            .add(
                "Value",
                Str(
                    f"[service]\nname = {svc}\nimage = {image_tag}\napi-key-id = {self.api_secret(svc, 'key-id')}\n\n[database]\nport = {self.db_port()}\n",
                    "literal",
                ),
            ),
        )
        resources.append((f"{Svc}Config", conf, None))

        # IAM user (3 references: ssm-secure console password, path, tag)
        user = Map().add("Type", Str("AWS::IAM::User"))
        console_versions = rng.randint(1, 3)
        user.add(
            "Properties",
            Map()
            .add("UserName", Fn("Sub", Str(f"{svc}-${{Env}}-operator")))
            .add("Path", Str(self.ssm("/bench/iam/path", lambda: "/bench/operators/"), "single"))
            .add(
                "LoginProfile",
                Map()
                .add("Password", Str(self.ssm_secure(f"/bench/{svc}/console-password", console_versions, console_versions), "single"))
                .add("PasswordResetRequired", Raw("true", True)),
            )
            .add("Groups", Seq([Str("operators")]))
            .add("Tags", Seq([Map().add("Key", Str("api-key-id")).add("Value", Str(self.api_secret(svc, "key-id"), "double"))])),
        )
        resources.append((f"{Svc}Operator", user, None))

        # The api secret's fields must hold key-id too.
        self.store.secrets[f"bench/{svc}/api"]["Fields"].setdefault("key-id", f"AKID{self.store.token(16).upper()}")
        return resources[:count]

    # The template ----------------------------------------------------------------------------

    def template(self):
        resources = []
        index = 0
        while len(resources) < self.size:
            resources += self.service(index, self.size - len(resources))
            index += 1
        root = Map()
        root.add("AWSTemplateFormatVersion", Str("2010-09-09", "single"))
        root.add(
            "Description",
            Str(f"Synthetic benchmark stack: {self.size} resources in {index} services, generated by Benchmarks/generate.py"),
        )
        # About three references a resource is far past CloudFormation's 60 a template (E2029):
        # the stack is synthetic, sized to measure, and says so the way a user would.
        root.add("Metadata", Map().add("cinch", Map().add("ignore", Seq([Str("E2029")], flow=True))))
        params = Map()
        params.add("Env", Map().add("Type", Str("String")).add("Default", Str(ENV)).add("AllowedValues", Seq([Str("dev"), Str("staging"), Str("prod")], flow=True)))
        params.add("VpcId", Map().add("Type", Str("AWS::EC2::VPC::Id")).add("Default", Str("vpc-0123456789abcdef0")))
        params.add("SubnetIds", Map().add("Type", Str("List<AWS::EC2::Subnet::Id>")).add("Default", Str("subnet-0a1b2c3d,subnet-4e5f6a7b")))
        params.add("Cluster", Map().add("Type", Str("String")).add("Default", Str("bench")))
        root.add("Parameters", params)
        res = Map()
        for name, body, comment in resources:
            res.add(name, body, comment)
        root.add("Resources", res)
        outputs = Map()
        outputs.add("StackEnv", Map().add("Value", Fn("Ref", Str("Env"))).add("Description", Str("The environment this stack was deployed to")))
        root.add("Outputs", outputs)
        return root, index


def count_refs(text: str) -> dict:
    """References in the emitted YAML outside comments: the ground truth for the manifest."""
    counts = {"ssm": 0, "ssm-secure": 0, "secretsmanager": 0}
    for line in text.split("\n"):
        if line.lstrip().startswith("#"):
            continue
        start = 0
        while True:
            at = line.find("{{resolve:", start)
            if at < 0:
                break
            end = line.find("}}", at)
            service = line[at + 10 :].split(":", 1)[0]
            counts[service] += 1
            start = end + 2
    return counts


def seed_document(store: Store) -> dict:
    """The store seed: what `cinch ssm put-parameter` and `cinch secretsmanager create-secret` take.

    `parameters[].Values` is the history, oldest first (the store numbers them 1…n); a secret's
    `SecretString` is its JSON text and `ClientRequestToken` its VersionId.
    """
    parameters = [store.parameters[name] for name in sorted(store.parameters)]
    secrets = []
    for name in sorted(store.secrets):
        entry = store.secrets[name]
        secrets.append(
            {
                "Name": name,
                "ClientRequestToken": entry["ClientRequestToken"],
                "SecretString": json.dumps(entry["Fields"], sort_keys=True, separators=(",", ":")),
            }
        )
    return {"format": 1, "TemplateParameters": {"Env": ENV}, "Parameters": parameters, "Secrets": secrets}


def tsv_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def seed_tsv(seed: dict) -> str:
    """One line per readable value: `P NAME VERSION VALUE` per parameter version and
    `S NAME VERSION-ID KEY VALUE` per secret (KEY empty for the whole SecretString)."""
    lines = []
    for p in seed["Parameters"]:
        for version, value in enumerate(p["Values"], start=1):
            lines.append("\t".join(["P", p["Name"], str(version), tsv_escape(value)]))
    for s in seed["Secrets"]:
        lines.append("\t".join(["S", s["Name"], s["ClientRequestToken"], "", tsv_escape(s["SecretString"])]))
        for key, value in json.loads(s["SecretString"]).items():
            lines.append("\t".join(["S", s["Name"], s["ClientRequestToken"], key, tsv_escape(str(value))]))
    return "\n".join(lines) + "\n"


def write(path: str, text: str):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)


def generate(size: int, seed: int, out: str) -> dict:
    gen = Generator(size, seed)
    root, services = gen.template()
    lines = [
        "# Synthetic CloudFormation template for cinch's benchmarks (Benchmarks/generate.py).",
        f"# {size} resources; every service reads its settings and secrets through dynamic references.",
    ]
    yaml_lines(root, 0, lines)
    yaml_text = "\n".join(lines) + "\n"
    json_text = json.dumps(to_json(root), indent=2, ensure_ascii=False) + "\n"
    seed_doc = seed_document(gen.store)
    counts = count_refs(yaml_text)
    base = os.path.join(out, f"bench-{size}")
    write(base + ".yaml", yaml_text)
    write(base + ".json", json_text)
    write(base + ".seed.json", json.dumps(seed_doc, indent=1, sort_keys=True) + "\n")
    write(base + ".seed.tsv", seed_tsv(seed_doc))
    write(base + ".params.json", json.dumps([{"ParameterKey": "Env", "ParameterValue": ENV}]) + "\n")
    manifest = {
        "size": size,
        "seed": seed,
        "services": services,
        "resources": size,
        "references": sum(counts.values()),
        "referencesByKind": counts,
        "parameters": len(seed_doc["Parameters"]),
        "parameterVersions": sum(len(p["Values"]) for p in seed_doc["Parameters"]),
        "secrets": len(seed_doc["Secrets"]),
        "yamlBytes": len(yaml_text.encode()),
        "jsonBytes": len(json_text.encode()),
        "templateParameters": {"Env": ENV},
    }
    write(base + ".manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def main(argv=None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=DEFAULT_SIZES)
    parser.add_argument("--out", default=os.path.join(here, "out", "inputs"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    for size in args.sizes:
        if size < 1:
            parser.error("sizes must be at least 1")
        m = generate(size, args.seed, args.out)
        print(
            f"bench-{size}: {m['resources']} resources, {m['references']} references "
            f"({m['referencesByKind']['ssm']} ssm, {m['referencesByKind']['ssm-secure']} ssm-secure, "
            f"{m['referencesByKind']['secretsmanager']} secretsmanager), "
            f"{m['parameters']} parameters, {m['secrets']} secrets, "
            f"{m['yamlBytes']:,} bytes YAML, {m['jsonBytes']:,} bytes JSON"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
