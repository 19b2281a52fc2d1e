#!/usr/bin/env bash
# Seeds a cinch store with what the templates in templates/ read: the commands are the ones the
# AWS guides give for `aws ssm` and `aws secretsmanager`, with `aws` replaced by `cinch`.
#
#   Samples/seed/seed.sh [CINCH]     (CINCH defaults to `cinch` on PATH; the store is $CINCH_STORE
#                                      or .cinch/store.db, created first with `cinch init`)
#
# Every value is sample data from values/, passed as file://PATH so that no value is ever on a
# command line (where `ps` would show it).
set -euo pipefail
cinch="${1:-cinch}"
values="$(cd "$(dirname "$0")" && pwd)/values"
quiet() { "$@" >/dev/null; }

# Parameter Store: a String, a SecureString with three versions, and one under a customer-managed
# KMS key (so `cinch policy` has a kms:Decrypt statement to write).
quiet "$cinch" ssm put-parameter --name /myapp/prod/db-host --type String \
  --value prod-db.cluster-c9akciq32.eu-west-1.rds.amazonaws.com --description "Production database endpoint"
for version in 1 2 3; do
  quiet "$cinch" ssm put-parameter --name /myapp/prod/dbpassword --type SecureString \
    --value "file://$values/dbpassword-$version" --overwrite
done
key_id="$("$cinch" kms create-key --description "MyApp cache credentials" --query KeyMetadata.KeyId --output text)"
quiet "$cinch" kms create-alias --alias-name alias/myapp-cache --target-key-id "$key_id"
quiet "$cinch" ssm put-parameter --name /myapp/prod/redis-auth-token --type SecureString \
  --key-id alias/myapp-cache --value "file://$values/redis-auth-token"
quiet "$cinch" ssm put-parameter --name docker_username --type String --value registry-bot

# AWS's public parameters (the latest Amazon Linux 2023 AMIs), copied in as AWS publishes them.
quiet "$cinch" ssm put-public-parameter \
  --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64 --value ami-0c1bc246476a5572b
quiet "$cinch" ssm put-public-parameter \
  --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64 --value ami-0e8c824f386e1de06

# Secrets Manager: JSON credentials, as the templates read them by key.
quiet "$cinch" secretsmanager create-secret --name prod/MyApp/DBSecret \
  --description "Production database credentials for MyApp" --secret-string "file://$values/db-secret.json"
quiet "$cinch" secretsmanager create-secret --name docker_username \
  --description "Container registry robot account" --secret-string "file://$values/docker-secret.json"
quiet "$cinch" secretsmanager create-secret --name MyDatabaseSecret \
  --description "Source database the loader copies from" --secret-string "file://$values/my-database-secret.json"
