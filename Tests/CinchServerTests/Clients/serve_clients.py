#!/usr/bin/env python3
"""Drives a running `cinch serve` with real AWS clients (boto3 and the aws CLI) and checks what
they get back, including the error cases and the signature checks. Run by ServeClientsTests with:

  SERVE_ENDPOINT        http://127.0.0.1:PORT
  SERVE_ROOT_KEY        access key id of an unrestricted key; its secret in SERVE_ROOT_SECRET
  SERVE_CI_KEY          a key whose user may only ssm:DescribeParameters; SERVE_CI_SECRET
  SERVE_READER_KEY      a key whose user may read prod/* secrets at AWSCURRENT only; SERVE_READER_SECRET
  SERVE_PR_KEY          a key with the validate profile's policy (history, kms:Decrypt denied); SERVE_PR_SECRET
  CINCH                 the cinch binary; CINCH_STORE and CINCH_MASTER_KEY_FILE name the store
  SERVE_PID             the server's pid, for the drain check (last)

Prints one line per check and exits 1 when any failed. Values and secrets are never printed.
"""

import datetime
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["SERVE_ENDPOINT"]
REGION = "us-east-1"
ROOT = (os.environ["SERVE_ROOT_KEY"], os.environ["SERVE_ROOT_SECRET"])
CI = (os.environ["SERVE_CI_KEY"], os.environ["SERVE_CI_SECRET"])
READER = (os.environ["SERVE_READER_KEY"], os.environ["SERVE_READER_SECRET"])
PR = (os.environ["SERVE_PR_KEY"], os.environ["SERVE_PR_SECRET"])
CINCH = os.environ["CINCH"]
CANARY = os.environ.get("SERVE_CANARY") or "canary-" + os.urandom(6).hex()

failures = []


def check(name):
    def wrap(function):
        try:
            function()
            print(f"ok   {name}")
        except Exception as error:  # noqa: BLE001 - every failure is reported, then the next check runs
            message = f"{type(error).__name__}: {error}"
            for secret in (ROOT[1], CI[1], READER[1], PR[1]):
                message = message.replace(secret, "<secret>")
            print(f"FAIL {name}: {message}")
            failures.append(name)
        return function
    return wrap


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def client(service, key=ROOT):
    return boto3.client(
        service, endpoint_url=ENDPOINT, region_name=REGION, aws_access_key_id=key[0],
        aws_secret_access_key=key[1], config=Config(retries={"max_attempts": 1}))


def error_of(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except ClientError as error:
        return error.response
    raise AssertionError("the call succeeded")


ssm = client("ssm")
sm = client("secretsmanager")


# MARK: Parameter Store through boto3

@check("ssm put/get with and without decryption")
def _():
    expect(ssm.put_parameter(Name="/app/db", Value=CANARY, Type="SecureString")["Version"] == 1, "version 1")
    ssm.put_parameter(Name="/app/name", Value="orders", Type="String")
    plain = ssm.get_parameter(Name="/app/db", WithDecryption=True)["Parameter"]
    expect(plain["Value"] == CANARY and plain["Type"] == "SecureString", "decrypted value")
    expect(plain["ARN"] == "arn:aws:ssm:us-east-1:123456789012:parameter/app/db", plain["ARN"])
    sealed = ssm.get_parameter(Name="/app/db")["Parameter"]
    expect(sealed["Value"] != CANARY and CANARY not in sealed["Value"], "ciphertext without decryption")


@check("ssm get-parameters reports invalid names")
def _():
    answer = ssm.get_parameters(Names=["/app/db", "/app/missing"], WithDecryption=True)
    expect([p["Name"] for p in answer["Parameters"]] == ["/app/db"], "found")
    expect(answer["InvalidParameters"] == ["/app/missing"], "invalid")


@check("ssm history, labels and selectors")
def _():
    expect(ssm.put_parameter(Name="/app/db", Value=CANARY + "-2", Type="SecureString", Overwrite=True)["Version"] == 2, "v2")
    history = ssm.get_parameter_history(Name="/app/db", WithDecryption=True)["Parameters"]
    expect([h["Version"] for h in history] == [1, 2], "history versions")
    ssm.label_parameter_version(Name="/app/db", ParameterVersion=1, Labels=["stable"])
    labelled = ssm.get_parameter(Name="/app/db:stable", WithDecryption=True)["Parameter"]
    expect(labelled["Version"] == 1 and labelled["Value"] == CANARY, "label selector")
    expect(labelled.get("Selector") == ":stable", f"selector {labelled.get('Selector')}")
    ssm.unlabel_parameter_version(Name="/app/db", ParameterVersion=1, Labels=["stable"])
    response = error_of(ssm.get_parameter, Name="/app/db:stable")
    expect(response["Error"]["Code"] == "ParameterVersionLabelNotFound" or response["Error"]["Code"] == "ParameterNotFound", response["Error"]["Code"])


@check("ssm by path and describe")
def _():
    names = sorted(p["Name"] for p in ssm.get_parameters_by_path(Path="/app", Recursive=True)["Parameters"])
    expect(names == ["/app/db", "/app/name"], str(names))
    described = [p["Name"] for p in ssm.describe_parameters()["Parameters"]]
    expect("/app/db" in described and all("Value" not in p for p in ssm.describe_parameters()["Parameters"]), "describe")


@check("an endpoint path with escapes verifies as botocore signs it (encoded twice)")
def _():
    # SigV4 outside S3: "Each path segment must be URI-encoded twice"; a reverse proxy's
    # prefix with a space or an escaped slash is such a path.
    for prefix in ["/a%20b", "/a%2Fb"]:
        proxied = boto3.client(
            "ssm", endpoint_url=ENDPOINT + prefix, region_name=REGION,
            aws_access_key_id=ROOT[0], aws_secret_access_key=ROOT[1],
            config=Config(retries={"max_attempts": 1}))
        name = proxied.get_parameter(Name="/app/name")["Parameter"]["Name"]
        expect(name == "/app/name", prefix)


@check("ssm errors: codes, status 400, x-amzn-RequestId")
def _():
    response = error_of(ssm.get_parameter, Name="/app/nope")
    expect(response["Error"]["Code"] == "ParameterNotFound", response["Error"]["Code"])
    expect(response["ResponseMetadata"]["HTTPStatusCode"] == 400, "status")
    expect(response["ResponseMetadata"].get("RequestId"), "request id")
    response = error_of(ssm.put_parameter, Name="/app/name", Value="x", Type="String")
    expect(response["Error"]["Code"] == "ParameterAlreadyExists", response["Error"]["Code"])


# MARK: Secrets Manager through boto3

@check("secretsmanager create/get/put/stages")
def _():
    created = sm.create_secret(Name="prod/api", SecretString=json.dumps({"key": CANARY}))
    expect(created["ARN"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-"), created["ARN"])
    current = sm.get_secret_value(SecretId="prod/api")
    expect(json.loads(current["SecretString"]) == {"key": CANARY}, "value")
    expect(current["VersionStages"] == ["AWSCURRENT"], "stages")
    put = sm.put_secret_value(SecretId="prod/api", SecretString=json.dumps({"key": CANARY + "-2"}))
    expect(put["VersionStages"] == ["AWSCURRENT"], "put stages")
    previous = sm.get_secret_value(SecretId="prod/api", VersionStage="AWSPREVIOUS")
    expect(previous["VersionId"] == created["VersionId"], "previous")
    versions = sm.list_secret_version_ids(SecretId="prod/api")["Versions"]
    expect(len(versions) == 2, "two versions")
    sm.update_secret_version_stage(SecretId="prod/api", VersionStage="AWSCURRENT",
                                   MoveToVersionId=created["VersionId"], RemoveFromVersionId=put["VersionId"])
    expect(sm.get_secret_value(SecretId="prod/api")["VersionId"] == created["VersionId"], "rolled back")


@check("secretsmanager delete and restore")
def _():
    sm.create_secret(Name="prod/old", SecretString="x")
    deleted = sm.delete_secret(SecretId="prod/old", RecoveryWindowInDays=7)
    expect("DeletionDate" in deleted, "deletion date")
    response = error_of(sm.get_secret_value, SecretId="prod/old")
    expect(response["Error"]["Code"] == "InvalidRequestException", response["Error"]["Code"])
    sm.restore_secret(SecretId="prod/old")
    expect(sm.get_secret_value(SecretId="prod/old")["SecretString"] == "x", "restored")


@check("secretsmanager rotation with the built-in password rotator")
def _():
    sm.create_secret(Name="prod/rotated", SecretString=json.dumps({"username": "app", "password": CANARY}))
    before = sm.get_secret_value(SecretId="prod/rotated")
    sm.rotate_secret(SecretId="prod/rotated",
                     RotationLambdaARN="arn:aws:lambda:us-east-1:123456789012:function:password",
                     RotationRules={"AutomaticallyAfterDays": 30})
    after = sm.get_secret_value(SecretId="prod/rotated")
    expect(after["VersionId"] != before["VersionId"], "new version")
    expect(json.loads(after["SecretString"])["password"] != CANARY, "password changed")
    expect(sm.describe_secret(SecretId="prod/rotated")["RotationEnabled"] is True, "rotation enabled")


@check("secretsmanager rotation with a command rotator that calls back $CINCH")
def _():
    # The rotator opens the store itself, as `cinch secretsmanager rotate-secret` lets it: the
    # server must hand it $CINCH, CINCH_STORE and the key file's path.
    folder = os.path.dirname(os.environ["CINCH_STORE"])
    script = os.path.join(folder, "callback-rotator.sh")
    with open(script, "w") as handle:
        handle.write("""#!/bin/sh
cat >/dev/null
arn=$CINCH_ROTATION_SECRET_ID token=$CINCH_ROTATION_TOKEN
case $CINCH_ROTATION_STEP in
  createSecret)
    exec "$CINCH" secretsmanager put-secret-value --secret-id "$arn" --client-request-token "$token" \\
      --version-stages AWSPENDING --secret-string rotated-by-command --output off ;;
  finishSecret)
    old=$("$CINCH" secretsmanager get-secret-value --secret-id "$arn" --query VersionId --output text)
    exec "$CINCH" secretsmanager update-secret-version-stage --secret-id "$arn" \\
      --version-stage AWSCURRENT --move-to-version-id "$token" --remove-from-version-id "$old" --output off ;;
esac
""")
    os.chmod(script, 0o700)
    registered = subprocess.run([CINCH, "rotation", "register", "callback", "--", script],
                                capture_output=True, text=True)
    expect(registered.returncode == 0, registered.stderr)
    sm.create_secret(Name="prod/by-command", SecretString=CANARY)
    sm.rotate_secret(SecretId="prod/by-command",
                     RotationLambdaARN="arn:aws:lambda:us-east-1:123456789012:function:callback",
                     RotationRules={"AutomaticallyAfterDays": 30})
    expect(sm.get_secret_value(SecretId="prod/by-command")["SecretString"] == "rotated-by-command",
           "the command rotator's new value is current")


@check("secretsmanager errors carry Message")
def _():
    response = error_of(sm.get_secret_value, SecretId="prod/nope")
    expect(response["Error"]["Code"] == "ResourceNotFoundException", response["Error"]["Code"])
    expect(response["Error"]["Message"] == "Secrets Manager can't find the specified secret.", response["Error"]["Message"])
    expect(response["ResponseMetadata"]["HTTPStatusCode"] == 400, "status")


# MARK: The aws CLI, compared with cinch's own CLI on the same store

def normalise(document):
    """Timestamps as epoch seconds: the aws CLI prints what the wire carries, cinch prints text."""
    if isinstance(document, dict):
        # Members outside AWS's model (cinch's own, such as CinchRotation) are dropped by botocore.
        return {k: normalise_time(v) if k.endswith("Date") else normalise(v)
                for k, v in document.items() if not k.startswith("Cinch")}
    if isinstance(document, list):
        return [normalise(v) for v in document]
    return document


def normalise_time(value):
    if isinstance(value, (int, float)):
        return round(float(value), 3)
    return round(datetime.datetime.fromisoformat(value).timestamp(), 3)


def aws(*arguments):
    environment = dict(os.environ, AWS_ACCESS_KEY_ID=ROOT[0], AWS_SECRET_ACCESS_KEY=ROOT[1],
                       AWS_DEFAULT_REGION=REGION, AWS_ENDPOINT_URL=ENDPOINT, AWS_PAGER="")
    return subprocess.run(["aws", *arguments, "--output", "json"], capture_output=True, text=True, env=environment)


def cinch(*arguments):
    return subprocess.run([CINCH, *arguments, "--output", "json"], capture_output=True, text=True)


COMPARED = [
    ["ssm", "get-parameter", "--name", "/app/db", "--with-decryption"],
    ["ssm", "get-parameter", "--name", "/app/db"],
    ["ssm", "get-parameters", "--names", "/app/db", "/app/name", "/app/none"],
    ["ssm", "get-parameter-history", "--name", "/app/db"],
    ["ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--with-decryption"],
    ["secretsmanager", "get-secret-value", "--secret-id", "prod/api"],
    ["secretsmanager", "list-secret-version-ids", "--secret-id", "prod/api"],
    ["secretsmanager", "describe-secret", "--secret-id", "prod/rotated"],
]


if shutil.which("aws"):
    for arguments in COMPARED:
        @check("aws CLI = cinch CLI: " + " ".join(arguments[:2]) + (" (no decryption)" if arguments == COMPARED[1] else ""))
        def _(arguments=arguments):
            remote = aws(*arguments)
            local = cinch(*arguments)
            expect(remote.returncode == 0, f"aws exited {remote.returncode}: {remote.stderr.strip()[:300]}")
            expect(local.returncode == 0, f"cinch exited {local.returncode}: {local.stderr.strip()[:300]}")
            left, right = normalise(json.loads(remote.stdout)), normalise(json.loads(local.stdout))
            if "--with-decryption" not in arguments and arguments[1].startswith("get-parameter"):
                # SecureString ciphertext differs from one sealing to the next.
                for document in (left, right):
                    for p in document.get("Parameters", []) + ([document["Parameter"]] if "Parameter" in document else []):
                        if p["Type"] == "SecureString":
                            p["Value"] = "<ciphertext>"
            expect(left == right, "the two CLIs printed different documents")

    @check("aws CLI = cinch CLI: an error")
    def _():
        remote = aws("ssm", "get-parameter", "--name", "/app/nope")
        local = cinch("ssm", "get-parameter", "--name", "/app/nope")
        # aws CLI v1 exits 255 on a service error, v2 (and cinch) 254.
        expect(remote.returncode in (254, 255) and local.returncode == 254, f"{remote.returncode} {local.returncode}")
        expect(remote.stderr.strip() == local.stderr.strip(), f"{remote.stderr!r} != {local.stderr!r}")
else:
    print("skip aws CLI comparisons: the aws CLI is not installed")


# MARK: Signatures, keys and operations, request by request

def sigv4_headers(target, data, key, service, when):
    """SigV4 by hand, at a chosen time (botocore always signs at now)."""
    host = urllib.parse.urlsplit(ENDPOINT).netloc
    amz_date = when.strftime("%Y%m%dT%H%M%SZ")
    headers = {"content-type": "application/x-amz-json-1.1", "host": host, "x-amz-date": amz_date,
               "x-amz-target": target}
    names = sorted(headers)
    canonical = "\n".join(["POST", "/", "", "".join(f"{n}:{headers[n]}\n" for n in names), ";".join(names),
                           hashlib.sha256(data).hexdigest()])
    scope = f"{amz_date[:8]}/{REGION}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    signing = ("AWS4" + key[1]).encode()
    for part in (amz_date[:8], REGION, service, "aws4_request"):
        signing = hmac.new(signing, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(signing, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={key[0]}/{scope}, "
                                f"SignedHeaders={';'.join(names)}, Signature={signature}")
    return headers


def raw(target, body, key=ROOT, sign=True, amz_date=None, tamper=None, headers=None, service=None):
    url = urllib.parse.urlsplit(ENDPOINT)
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = botocore.awsrequest.AWSRequest(
        method="POST", url=ENDPOINT + "/", data=data,
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target, **(headers or {})})
    service = service or ("ssm" if target.startswith("AmazonSSM") else "secretsmanager")
    if sign and amz_date:
        signed = sigv4_headers(target, data, key, service, amz_date)
    else:
        if sign:
            botocore.auth.SigV4Auth(botocore.credentials.Credentials(key[0], key[1]), service, REGION).add_auth(request)
        signed = dict(request.prepare().headers.items())
    payload = tamper if tamper is not None else data
    http = urllib.request.Request(ENDPOINT + "/", data=payload, method="POST", headers=signed)
    try:
        with urllib.request.urlopen(http, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


@check("signed with a wrong secret: InvalidSignatureException")
def _():
    status, headers, body = raw("AmazonSSM.GetParameter", {"Name": "/app/name"}, key=(ROOT[0], "wrong" + ROOT[1][5:]))
    expect(status == 400 and body["__type"] == "InvalidSignatureException", f"{status} {body}")
    expect(headers.get("X-Amzn-ErrorType") == "InvalidSignatureException", str(headers))


@check("a tampered body: InvalidSignatureException")
def _():
    status, _, body = raw("AmazonSSM.GetParameter", {"Name": "/app/name"},
                          tamper=json.dumps({"Name": "/app/db", "WithDecryption": True}).encode())
    expect(status == 400 and body["__type"] == "InvalidSignatureException", f"{status} {body}")


@check("an expired date: InvalidSignatureException, signature expired")
def _():
    old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
    status, _, body = raw("AmazonSSM.GetParameter", {"Name": "/app/name"}, amz_date=old)
    expect(status == 400 and body["__type"] == "InvalidSignatureException", f"{status} {body}")
    expect(body["message"].startswith("Signature expired:"), body["message"])


@check("a date in the future beyond the skew: refused")
def _():
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=16)
    status, _, body = raw("AmazonSSM.GetParameter", {"Name": "/app/name"}, amz_date=later)
    expect(status == 400 and body["__type"] == "InvalidSignatureException", f"{status} {body}")


@check("an unknown key: UnrecognizedClientException")
def _():
    status, _, body = raw("AmazonSSM.GetParameter", {"Name": "/app/name"}, key=("AKIAIOSFODNN7EXAMPLE", ROOT[1]))
    expect(status == 400 and body["__type"] == "UnrecognizedClientException", f"{status} {body}")


@check("no signature: MissingAuthenticationTokenException 403")
def _():
    status, _, body = raw("AmazonSSM.GetParameter", {"Name": "/app/name"}, sign=False)
    expect(status == 403 and body["__type"] == "MissingAuthenticationTokenException", f"{status} {body}")


@check("signed for another service: IncompleteSignatureException")
def _():
    status, _, body = raw("AmazonSSM.GetParameter", {"Name": "/app/name"}, service="secretsmanager")
    expect(status == 400 and body["__type"] == "IncompleteSignatureException", f"{status} {body}")


@check("an unknown operation: UnknownOperationException")
def _():
    status, _, body = raw("AmazonSSM.Frobnicate", {})
    expect(status == 400 and body["__type"] == "UnknownOperationException", f"{status} {body}")


@check("a body that is not JSON: SerializationException")
def _():
    status, _, body = raw("AmazonSSM.GetParameter", b"not json")
    expect(status == 400 and body["__type"] == "SerializationException", f"{status} {body}")


@check("a body nested 200,000 deep: SerializationException, and the server goes on")
def _():
    status, _, body = raw("AmazonSSM.GetParameter", b"[" * 200000 + b"]" * 200000)
    expect(status == 400 and body["__type"] == "SerializationException", f"{status} {body}")
    status, _, body = raw("AmazonSSM.GetParameter", {"Name": "/app/name"})
    expect(status == 200, f"{status} {body}")


@check("a missing member: ValidationException")
def _():
    status, _, body = raw("AmazonSSM.GetParameter", {})
    expect(status == 400 and body["__type"] == "ValidationException", f"{status} {body}")
    expect("'name'" in body["Message"], str(body))


@check("error bodies spell message as their shape does in the model")
def _():
    for target, body, code, member in [
        ("AmazonSSM.GetParameter", {"Name": "/nope"}, "ParameterNotFound", "message"),
        ("AmazonSSM.GetParameter", {}, "ValidationException", "Message"),
        ("AmazonSSM.DescribeParameters", {"NextToken": "bad"}, "InvalidNextToken", "Message"),
        ("AmazonSSM.DescribeParameters", {"ParameterFilters": [{"Key": "Type", "Values": ["Nope"]}]},
         "InvalidFilterValue", "Message"),
        ("secretsmanager.GetSecretValue", {"SecretId": "nope"}, "ResourceNotFoundException", "Message"),
    ]:
        status, _, answer = raw(target, body)
        expect(status == 400 and answer.get("__type") == code, f"{target}: {status} {answer}")
        expect(set(answer) == {"__type", member}, f"{target}: {answer}")


# MARK: Policies

@check("a key limited to ssm:DescribeParameters describes but cannot read a value")
def _():
    limited = client("ssm", CI)
    expect("/app/db" in [p["Name"] for p in limited.describe_parameters()["Parameters"]], "describe")
    response = error_of(limited.get_parameter, Name="/app/db", WithDecryption=True)
    expect(response["Error"]["Code"] == "AccessDeniedException", response["Error"]["Code"])
    expect(response["Error"]["Message"] ==
           "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ssm:GetParameter on "
           "resource: arn:aws:ssm:us-east-1:123456789012:parameter/app/db because no identity-based "
           "policy allows the ssm:GetParameter action", response["Error"]["Message"])
    response = error_of(client("secretsmanager", CI).get_secret_value, SecretId="prod/api")
    expect(response["Error"]["Code"] == "AccessDeniedException", response["Error"]["Code"])


@check("a secretsmanager:VersionStage condition: AWSCURRENT only")
def _():
    reader = client("secretsmanager", READER)
    expect(json.loads(reader.get_secret_value(SecretId="prod/api")["SecretString"])["key"].startswith(CANARY), "current")
    expect(json.loads(reader.get_secret_value(SecretId="prod/api", VersionStage="AWSCURRENT")["SecretString"]), "named current")
    response = error_of(reader.get_secret_value, SecretId="prod/api", VersionStage="AWSPREVIOUS")
    expect(response["Error"]["Code"] == "AccessDeniedException", response["Error"]["Code"])
    response = error_of(reader.get_secret_value, SecretId="other/secret")
    expect(response["Error"]["Code"] == "AccessDeniedException", response["Error"]["Code"])


@check("BatchGetSecretValue reports unreadable secrets in Errors")
def _():
    answer = client("secretsmanager", READER).batch_get_secret_value(SecretIdList=["prod/api", "prod/old"])
    expect(sorted(v["Name"] for v in answer["SecretValues"]) == ["prod/api", "prod/old"], "both under prod/*")
    answer = sm.batch_get_secret_value(SecretIdList=["prod/api"])
    expect([v["Name"] for v in answer["SecretValues"]] == ["prod/api"], "root reads")


@check("kms:Decrypt: the validate profile's Deny keeps history sealed; a CMK needs a grant")
def _():
    history = client("ssm", PR)
    response = error_of(history.get_parameter_history, Name="/app/db", WithDecryption=True)
    expect(response["Error"]["Code"] == "AccessDeniedException", response["Error"]["Code"])
    expect(response["Error"]["Message"] ==
           "The ciphertext refers to a customer master key that does not exist, does not exist in "
           "this region, or you are not allowed to access. (Service: AWSKMS; Status Code: 400; "
           "Error Code: AccessDeniedException)", response["Error"]["Message"])
    expect(CANARY not in json.dumps(response, default=str), "no value in the refusal")
    sealed = history.get_parameter_history(Name="/app/db")["Parameters"]
    expect(sealed and all(CANARY not in p["Value"] for p in sealed), "sealed values only")

    key = client("kms").create_key(Description="serve_clients")["KeyMetadata"]["KeyId"]
    sm.create_secret(Name="prod/cmk", KmsKeyId=key, SecretString=CANARY + "-cmk")
    expect(sm.get_secret_value(SecretId="prod/cmk")["SecretString"] == CANARY + "-cmk", "root reads")
    response = error_of(client("secretsmanager", READER).get_secret_value, SecretId="prod/cmk")
    expect(response["Error"]["Code"] == "AccessDeniedException", response["Error"]["Code"])
    expect(response["Error"]["Message"] == "Access to KMS is not allowed", response["Error"]["Message"])
    answer = client("secretsmanager", READER).batch_get_secret_value(SecretIdList=["prod/cmk", "prod/api"])
    expect([v["Name"] for v in answer["SecretValues"]] == ["prod/api"], "aws/secretsmanager still read")
    expect([(e["SecretId"], e["ErrorCode"]) for e in answer["Errors"]] == [("prod/cmk", "AccessDeniedException")],
           str(answer["Errors"]))


@check("health endpoint")
def _():
    with urllib.request.urlopen(ENDPOINT + "/health", timeout=10) as response:
        expect(response.status == 200 and json.loads(response.read()) == {"status": "ok"}, "health")


# MARK: Drain (last: it stops the server)

@check("SIGTERM lets a request in flight finish")
def _():
    pid = int(os.environ["SERVE_PID"])
    value = "v" * 6000  # a body larger than the server's first read, so it arrives in two parts
    body = json.dumps({"Name": "/app/drain", "Value": value, "Type": "String", "Tier": "Advanced"}).encode()
    request = botocore.awsrequest.AWSRequest(
        method="POST", url=ENDPOINT + "/", data=body,
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonSSM.PutParameter"})
    botocore.auth.SigV4Auth(botocore.credentials.Credentials(*ROOT), "ssm", REGION).add_auth(request)
    prepared = request.prepare()
    url = urllib.parse.urlsplit(ENDPOINT)
    head = f"POST / HTTP/1.1\r\nHost: {url.netloc}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in prepared.headers.items() if k.lower() != "content-length")
    head += f"Content-Length: {len(body)}\r\n\r\n"
    connection = socket.create_connection((url.hostname, url.port), timeout=30)
    connection.sendall(head.encode() + body[:3000])
    time.sleep(0.5)
    os.kill(pid, signal.SIGTERM)
    time.sleep(0.5)
    connection.sendall(body[3000:])
    answer = b""
    while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        answer += chunk
    connection.close()
    expect(answer.startswith(b"HTTP/1.1 200"), answer[:60].decode(errors="replace"))
    expect(b'"Version":1' in answer.replace(b" ", b""), "the put answered")


print(f"{len(failures)} failed" if failures else "all passed")
sys.exit(1 if failures else 0)
