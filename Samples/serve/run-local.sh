#!/usr/bin/env bash
# A local stack that reads its secrets from cinch with the unchanged aws CLI: a throw-away store,
# the seed's parameter and secret, an access key for the app limited to what it reads, `cinch
# serve` on loopback, the aws CLI pointed at it with AWS_ENDPOINT_URL, then SIGTERM.
#
#   Samples/serve/run-local.sh            (CINCH=path/to/cinch to use another binary; PORT=4583)
set -euo pipefail

CINCH=${CINCH:-cinch}
PORT=${PORT:-4583}
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server"; wait "$server" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export CINCH_STORE="$work/store.db" AWS_REGION=us-east-1
"$CINCH" init >/dev/null
# Values on standard input (printf is the shell's own), never in a process's argument list.
printf '%s' 'S3cr3t!' | "$CINCH" ssm put-parameter --name /myapp/prod/dbpassword \
  --value file:///dev/stdin --type SecureString >/dev/null
printf '%s' '{"username":"dbadmin","password":"EXAMPLE-PASSWORD"}' |
  "$CINCH" secretsmanager create-secret --name prod/MyApp/DBSecret \
  --secret-string file:///dev/stdin >/dev/null

# The app's key may read /myapp/prod/* and the current value of prod/MyApp/*, nothing else.
"$CINCH" iam put-user-policy --user-name app --policy-name read-prod --policy-document '{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:GetParameters"],
     "Resource": "arn:aws:ssm:us-east-1:123456789012:parameter/myapp/prod/*"},
    {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
     "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/MyApp/*",
     "Condition": {"StringEqualsIfExists": {"secretsmanager:VersionStage": "AWSCURRENT"}}}
  ]
}'
# The secret is printed once: keep it in an AWS credentials file (0600), never in a log.
umask 077
"$CINCH" iam create-access-key --user-name app \
  --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text |
  awk '{ print "[cinch]\naws_access_key_id = " $1 "\naws_secret_access_key = " $2 }' >"$work/credentials"

"$CINCH" serve --listen "127.0.0.1:$PORT" >"$work/serve.out" &
server=$!
for _ in $(seq 100); do
  grep -q listening "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
cat "$work/serve.out"

# What the app runs, unchanged apart from the endpoint and the profile.
export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT" AWS_SHARED_CREDENTIALS_FILE="$work/credentials"
export AWS_PROFILE=cinch AWS_DEFAULT_REGION=us-east-1
unset CINCH_STORE
set -x
aws ssm get-parameter --name /myapp/prod/dbpassword --with-decryption --query Parameter.Value --output text
aws secretsmanager get-secret-value --secret-id prod/MyApp/DBSecret --query SecretString --output text
aws ssm put-parameter --name /myapp/prod/dbpassword --value x --type SecureString --overwrite \
  || echo "refused, as the policy says"
