#!/usr/bin/env bash
# `make run`: cinch at work on the templates in templates/, from a fresh machine.
set -euo pipefail
cinch="$1"
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

say cinch refs templates/rds-postgres.yaml templates/multi-env.yaml templates/lambda-api.yaml
"$cinch" refs templates/rds-postgres.yaml templates/multi-env.yaml templates/lambda-api.yaml

say cinch refs templates/multi-env.yaml --parameter-overrides Env=dev
"$cinch" refs templates/multi-env.yaml --parameter-overrides Env=dev

say cinch check templates/*
"$cinch" check templates/*

say cinch consumers prod/MyApp/DBSecret templates/*
"$cinch" consumers prod/MyApp/DBSecret templates/*

say cinch policy templates/ecs-service.yaml --account-id 123456789012 --region eu-west-1 --profile consumers --format cloudformation
"$cinch" policy templates/ecs-service.yaml --account-id 123456789012 --region eu-west-1 --profile consumers --format cloudformation
