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
# same store. Exit status 0 means the step succeeded; what this script writes on standard error
# becomes the failure message (cinch removes any secret value from it).
#
# Secret values never go on a command line: they reach cinch through standard input
# (--secret-string file:///dev/stdin), psql through PGPASSWORD in its own environment, and the
# server through SQL on psql's standard input.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true  # `&` in a password stays `&`

cinch=${CINCH:-cinch}
sm() { "$cinch" secretsmanager "$@"; }
fail() { echo "$step: $*" >&2; exit 1; }

# The value of a string member of a flat JSON object ("key": "value").
json_string() {
  local pattern="\"$1\"[[:space:]]*:[[:space:]]*\"([^\"]*)\""
  [[ $2 =~ $pattern ]] || return 1
  printf '%s' "${BASH_REMATCH[1]}"
}

# The value of a number member ("key": 5432) or, failing that, a string member.
json_scalar() {
  local pattern="\"$1\"[[:space:]]*:[[:space:]]*([0-9]+)"
  if [[ $2 =~ $pattern ]]; then printf '%s' "${BASH_REMATCH[1]}"; else json_string "$1" "$2"; fi
}

# The JSON object $1 with the string member "password" set to $2.
with_password() {
  local pattern="\"password\"[[:space:]]*:[[:space:]]*\"[^\"]*\""
  [[ $1 =~ $pattern ]] || return 1
  local match=${BASH_REMATCH[0]}
  printf '%s' "${1/"$match"/"\"password\":\"$2\""}"
}

event=$(cat)
arn=$(json_string SecretId "$event") || { echo "no SecretId in the event" >&2; exit 1; }
token=$(json_string ClientRequestToken "$event") || { echo "no ClientRequestToken" >&2; exit 1; }
step=$(json_string Step "$event") || { echo "no Step in the event" >&2; exit 1; }

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
  host=$(json_scalar host "$secret") || host=127.0.0.1
  port=$(json_scalar port "$secret") || port=5432
  user=$(json_string username "$secret") || fail "the secret has no username"
  dbname=$(json_scalar dbname "$secret") || dbname=postgres
  PGPASSWORD=$1 PGCONNECT_TIMEOUT=5 psql -X -q -t -A -v ON_ERROR_STOP=1 \
    -h "$host" -p "$port" -U "$user" -d "$dbname"
}

logs_in() {  # logs_in SECRET-JSON
  local password
  password=$(json_string password "$1") || return 1
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
    password=$(sm get-random-password --password-length 32 \
      --exclude-characters "/@\"'\\" --query RandomPassword --output text)
    pending=$(with_password "$current" "$password") || fail "the secret has no password member"
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
    new_password=$(json_string password "$pending") || fail "the pending secret has no password"
    user=$(json_string username "$pending") || fail "the pending secret has no username"
    # Log in with the current password (or the previous one, if a rotation stopped half way).
    for stage in AWSCURRENT AWSPREVIOUS; do
      known=$(secret_at --version-stage "$stage" 2>/dev/null) || continue
      logs_in "$known" || continue
      old_password=$(json_string password "$known")
      printf 'ALTER ROLE "%s" WITH PASSWORD '\''%s'\'';\n' \
        "${user//\"/\"\"}" "${new_password//\'/\'\'}" | psql_as "$old_password" "$known" \
        || fail "ALTER ROLE failed"
      exit 0
    done
    fail "cannot log in as $user with the current or the previous password"
    ;;

  testSecret)
    if ! pending=$(secret_at --version-id "$token" --version-stage AWSPENDING 2>/dev/null); then
      # RotateImmediately=false: the pending version is still empty; test the current one.
      pending=$(secret_at --version-stage AWSCURRENT)
    fi
    logs_in "$pending" || fail "cannot log in as $(json_string username "$pending") with the pending password"
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
