#!/usr/bin/env bash
# Fails when a committed generated file (golden fixtures, Docs/Diagnostics.md) differs from
# what the code produces now: the tests regenerate nothing, so git shows any drift.
set -euo pipefail
if ! git diff --quiet -- Tests/Fixtures Docs 2>/dev/null; then
  echo "generated files differ from the committed ones:" >&2
  git --no-pager diff --stat -- Tests/Fixtures Docs >&2
  exit 1
fi
