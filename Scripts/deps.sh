#!/usr/bin/env bash
# Installs what the build and the tests need, and nothing when everything is present.
# System libraries come from Debian (apt-get as root, sudo otherwise).
set -euo pipefail

# graphviz: the graph tests check that every DOT file `cinch graph` writes renders with `dot`.
# libcurl4-openssl-dev: <curl/curl.h> for Sources/CCurlLoader, which loads libcurl (the AWS
# backend's HTTP client) on the first request; nothing links it. Its dependency libcurl4 is the
# libcurl.so.4 loaded at run time.
# openssl: the TLS tests of the AWS backend make their endpoint's certificate with it.
apt_packages=(libyaml-dev libsqlite3-dev libssl-dev pkg-config graphviz libcurl4-openssl-dev openssl)

missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# PostgreSQL (server binaries and psql): the rotation test of Samples/rotation-postgres starts a
# throw-away server with initdb/pg_ctl from /usr/lib/postgresql/*/bin.
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || ! command -v psql >/dev/null; then
  missing+=(postgresql)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
fi

# parliament: the IAM policy linter the policy tests run over every generated policy
# (Tests/CinchCompilerTests/Policy). Only when it is missing; the tests say so when it is absent.
if ! python3 -c "import parliament" >/dev/null 2>&1; then
  echo "deps: installing parliament (pip)" >&2
  python3 -m pip install --quiet parliament >&2 \
    || echo "deps: parliament could not be installed; the IAM lint tests will be skipped" >&2
  python3 -c "import parliament" >/dev/null 2>&1 \
    || echo "deps: parliament does not import; the IAM lint tests will be skipped" >&2
fi

# moto_server (PyPI's moto[server]): the AWS backend's tests run the store suite against it on a
# loopback port (Sources/_CinchTestSupport/MotoServer.swift).
if ! command -v moto_server >/dev/null 2>&1; then
  echo "deps: installing moto[server] from PyPI" >&2
  python3 -m pip install --quiet 'moto[server]' || pip install --quiet 'moto[server]'
  hash -r
fi

# The aws CLI (PyPI's awscli): the `cinch serve` tests compare what it prints through the server
# with what `cinch` prints for the same operations (Tests/CinchServerTests/Clients). boto3 comes
# with moto[server] above.
if ! command -v aws >/dev/null 2>&1; then
  echo "deps: installing awscli from PyPI" >&2
  python3 -m pip install --quiet awscli \
    || echo "deps: awscli could not be installed; the aws CLI comparisons will be skipped" >&2
  hash -r
fi

# hvac (PyPI), HashiCorp's Python client for Vault: the Vault API tests drive `cinch serve`'s
# /v1/ with it (Tests/CinchCLITests/Vault/HVACClientTests.swift).
if ! python3 -c "import hvac" >/dev/null 2>&1; then
  echo "deps: installing hvac from PyPI" >&2
  python3 -m pip install --quiet hvac \
    || echo "deps: hvac could not be installed; the hvac client tests will be skipped" >&2
fi
