#!/usr/bin/env bash
# A cinch command rotator for a PostgreSQL role's password: the single-user strategy of AWS's
# rotation Lambdas, step for step. Register it with
#
#   cinch rotation register postgres -- /path/to/rotate-postgres.sh
#
# The secret is a JSON object like the one RDS uses:
#   {"engine":"postgres","host":"127.0.0.1","port":5432,"username":"app","password":"…","dbname":"app"}
#
# cinch runs this script once per step with the rotation event on standard input
# ({"SecretId": ARN, "ClientRequestToken": VERSION-ID, "Step": STEP}) and CINCH_STORE (with the
# key file or key) in the environment, so the `cinch secretsmanager` commands below work on the
# same store. Exit status 0 means the step succeeded. What this script writes on standard error
# is shown, with the secret's values redacted, only on the terminal of whoever ran the rotation;
# the failure cinch records (describe-secret's CinchRotation.LastFailure) is its own words, the
# exit status, never this script's.
#
# Secret values never go on a command line: they reach cinch through standard input
# (--secret-string file:///dev/stdin), psql through PGPASSWORD in its own environment, and
# python3 (which reads and edits the JSON) through its standard input or environment. The server
# never receives the new password: setSecret sends a SCRAM-SHA-256 verifier computed here, as
# psql's \password does, so a failed ALTER ROLE that the server logs with its statement
# (log_min_error_statement) shows the verifier, not the password.
#
# Needs bash, psql, python3 (its standard library only) and cinch; PostgreSQL 10 or later.
set -euo pipefail

cinch=${CINCH:-cinch}
sm() { "$cinch" secretsmanager "$@"; }
step=unknown
fail() { echo "$step: $*" >&2; exit 1; }

# JSON and SCRAM in python3's standard library: `printf '%s' "$json" | secret_json get KEY`
# prints a member (a string as it is, a number as written; status 1 when there is none);
# `ROTATE_PASSWORD=… secret_json with-password` prints the object with its "password" member
# set (status 1 when it is not an object with one), every other member kept; `secret_json
# verifier` prints the SCRAM-SHA-256 verifier of the password on standard input.
read -r -d '' json_helper <<'PYTHON' || true
import base64, hashlib, hmac, json, os, stringprep, sys, unicodedata

def saslprep(raw):
    """The password as PostgreSQL's SCRAM hashes it (RFC 4013 SASLprep, as pg_saslprep applies
    it): ASCII and anything SASLprep refuses (invalid UTF-8, prohibited or unassigned
    characters, bad bidirectional text) are used as they are."""
    if all(byte < 0x80 for byte in raw):
        return raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw
    mapped = "".join(
        " " if stringprep.in_table_c12(c) else c for c in text if not stringprep.in_table_b1(c))
    prepared = unicodedata.normalize("NFKC", mapped)
    checks = (stringprep.in_table_a1, stringprep.in_table_c12, stringprep.in_table_c21,
              stringprep.in_table_c22, stringprep.in_table_c3, stringprep.in_table_c4,
              stringprep.in_table_c5, stringprep.in_table_c6, stringprep.in_table_c7,
              stringprep.in_table_c8, stringprep.in_table_c9)
    if not prepared or any(check(c) for c in prepared for check in checks):
        return raw
    if any(stringprep.in_table_d1(c) for c in prepared):
        if (any(stringprep.in_table_d2(c) for c in prepared)
                or not stringprep.in_table_d1(prepared[0])
                or not stringprep.in_table_d1(prepared[-1])):
            return raw
    return prepared.encode("utf-8")

def verifier(password, iterations=4096):
    """SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey> (RFC 5802, RFC 7677), the
    form PostgreSQL stores and accepts, already hashed, in ALTER ROLE … PASSWORD."""
    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", saslprep(password), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    b64 = lambda data: base64.b64encode(data).decode("ascii")
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"

command = sys.argv[1]
if command == "verifier":
    sys.stdout.write(verifier(sys.stdin.buffer.read()))
    sys.exit(0)
try:
    document = json.loads(sys.stdin.buffer.read().decode("utf-8"))
except ValueError:
    sys.exit(2)
if not isinstance(document, dict):
    sys.exit(1)
if command == "get":
    value = document.get(sys.argv[2])
    if value is None or isinstance(value, (dict, list)):
        sys.exit(1)
    sys.stdout.write(value if isinstance(value, str) else json.dumps(value))
elif command == "with-password":
    if "password" not in document:
        sys.exit(1)
    document["password"] = os.environb[b"ROTATE_PASSWORD"].decode("utf-8", "surrogateescape")
    sys.stdout.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")))
PYTHON
secret_json() { python3 -c "$json_helper" "$@"; }

json_get() {  # json_get KEY JSON
  printf '%s' "$2" | secret_json get "$1"
}

event=$(cat)
arn=$(json_get SecretId "$event") || { echo "no SecretId in the event" >&2; exit 1; }
token=$(json_get ClientRequestToken "$event") || { echo "no ClientRequestToken" >&2; exit 1; }
step=$(json_get Step "$event") || { echo "no Step in the event" >&2; exit 1; }

# The checks every step of AWS's template makes first.
enabled=$(sm describe-secret --secret-id "$arn" --query RotationEnabled --output text)
[[ $enabled == True ]] || fail "rotation is not enabled for the secret"
stages=$(sm describe-secret --secret-id "$arn" --query "VersionIdsToStages.\"$token\"" --output text)
[[ $stages != None ]] || fail "version $token has no stage for rotation"
if [[ $stages == *AWSCURRENT* ]]; then
  echo "$step: version $token is already AWSCURRENT" >&2
  exit 0
fi
[[ $stages == *AWSPENDING* ]] || fail "version $token is not AWSPENDING"

secret_at() {  # secret_at --version-stage STAGE | --version-id ID [...]
  sm get-secret-value --secret-id "$arn" "$@" --query SecretString --output text
}

# psql as the secret's user, with password $1, running the SQL on standard input.
psql_as() {
  local secret=$2
  local host port user dbname
  host=$(json_get host "$secret") || host=127.0.0.1
  port=$(json_get port "$secret") || port=5432
  user=$(json_get username "$secret") || fail "the secret has no username"
  dbname=$(json_get dbname "$secret") || dbname=postgres
  PGPASSWORD=$1 PGCONNECT_TIMEOUT=5 psql -X -q -t -A -v ON_ERROR_STOP=1 \
    -h "$host" -p "$port" -U "$user" -d "$dbname"
}

logs_in() {  # logs_in SECRET-JSON
  local password
  password=$(json_get password "$1") || return 1
  [[ $(echo 'SELECT 1;' | psql_as "$password" "$1" 2>/dev/null) == 1 ]]
}

case $step in
  createSecret)
    current=$(secret_at --version-stage AWSCURRENT)
    if errors=$(sm get-secret-value --secret-id "$arn" --version-id "$token" \
      --version-stage AWSPENDING 2>&1 >/dev/null); then
      echo "createSecret: version $token already holds a value" >&2
      exit 0
    fi
    [[ $errors == *ResourceNotFoundException* ]] || fail "$errors"
    # AWS's rotation functions exclude /@"'\ unless EXCLUDE_CHARACTERS says otherwise.
    exclude=${EXCLUDE_CHARACTERS-$'/@"\'\\'}
    password=$(sm get-random-password --password-length 32 --exclude-characters "$exclude" \
      --query RandomPassword --output text)
    pending=$(printf '%s' "$current" | ROTATE_PASSWORD=$password secret_json with-password) \
      || fail "the secret is not a JSON object with a password member"
    printf '%s' "$pending" | sm put-secret-value --secret-id "$arn" \
      --client-request-token "$token" --secret-string file:///dev/stdin \
      --version-stages AWSPENDING >/dev/null
    ;;

  setSecret)
    pending=$(secret_at --version-id "$token" --version-stage AWSPENDING)
    if logs_in "$pending"; then
      echo "setSecret: the pending password already works" >&2
      exit 0
    fi
    new_password=$(json_get password "$pending") || fail "the pending secret has no password"
    user=$(json_get username "$pending") || fail "the pending secret has no username"
    verifier=$(printf '%s' "$new_password" | secret_json verifier)
    # Log in with the current password (or the previous one, if a rotation stopped half way).
    for stage in AWSCURRENT AWSPREVIOUS; do
      known=$(secret_at --version-stage "$stage" 2>/dev/null) || continue
      logs_in "$known" || continue
      old_password=$(json_get password "$known")
      printf 'ALTER ROLE "%s" WITH PASSWORD '\''%s'\'';\n' "${user//\"/\"\"}" "$verifier" \
        | psql_as "$old_password" "$known" || fail "ALTER ROLE failed"
      exit 0
    done
    fail "cannot log in as $user with the current or the previous password"
    ;;

  testSecret)
    if ! pending=$(secret_at --version-id "$token" --version-stage AWSPENDING 2>/dev/null); then
      # RotateImmediately=false: the pending version is still empty; test the current one.
      pending=$(secret_at --version-stage AWSCURRENT)
    fi
    logs_in "$pending" || fail "cannot log in as $(json_get username "$pending") with the pending password"
    ;;

  finishSecret)
    current=$(sm list-secret-version-ids --secret-id "$arn" \
      --query "Versions[?contains(VersionStages, 'AWSCURRENT')].VersionId | [0]" --output text)
    [[ $current == "$token" ]] && exit 0
    sm update-secret-version-stage --secret-id "$arn" --version-stage AWSCURRENT \
      --move-to-version-id "$token" --remove-from-version-id "$current" >/dev/null
    ;;

  *)
    fail "unknown step"
    ;;
esac
