#!/usr/bin/env bash
# `make run`: cinch at work, from a fresh machine. A throw-away store is created and seeded from
# Samples/seed, then the templates in templates/ are checked, locked, rendered and planned.
# Nothing outside a temporary folder is written; it is removed on exit.
set -euo pipefail
cinch="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
root="$(cd "$(dirname "$0")/.." && pwd)"

work="$(mktemp -d "${TMPDIR:-/tmp}/cinch-demo.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R "$root/templates" "$work/templates"
cd "$work"
export CINCH_STORE="$work/.cinch/store.db" AWS_REGION=eu-west-1

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "cinch $*"; "$cinch" "$@"; }

run init
say "Samples/seed/seed.sh   # aws ssm put-parameter / aws secretsmanager create-secret, with cinch"
"$root/Samples/seed/seed.sh" "$cinch"

run ssm get-parameter --name /myapp/prod/dbpassword
run secretsmanager describe-secret --secret-id prod/MyApp/DBSecret --query '{Name: Name, Stages: VersionIdsToStages}'

run refs templates/multi-env.yaml --parameter-overrides Env=dev
run check templates/*
run lock templates/*
say "head -n 30 cinch.lock"
head -n 30 cinch.lock

run render --output rendered
say "diff templates/lambda-api.yaml rendered/templates/lambda-api.yaml   # only the reference text changes"
diff templates/lambda-api.yaml rendered/templates/lambda-api.yaml || true

say "cinch ssm put-parameter --name /myapp/prod/dbpassword --type SecureString --value file://… --overwrite"
"$cinch" ssm put-parameter --name /myapp/prod/dbpassword --type SecureString --overwrite \
  --value "file://$root/Samples/seed/values/dbpassword-1" --query Version --output text
run outdated
run plan

run consumers prod/MyApp/DBSecret templates/*
run policy templates/app-stack.json --account-id 123456789012 --region eu-west-1 --profile deploy --lock cinch.lock
run audit verify
