#!/usr/bin/env bash
# Lints docs/openapi.json with Redocly CLI's recommended rules (issue 17):
# installs the pinned @redocly/cli (npm ci in tools/openapi-lint, from its
# package-lock.json) and fails on any error. Warnings are printed, not fatal.
# Needs node and npm (scripts/install-deps.sh installs them when missing).
#
#   scripts/lint-openapi.sh
#   PINGAN_SKIP_NPM=1 scripts/lint-openapi.sh   reuse tools/openapi-lint/node_modules as it is
set -euo pipefail
cd "$(dirname "$0")/.."

tool=tools/openapi-lint
if [ "${PINGAN_SKIP_NPM:-0}" != 1 ] || [ ! -x "$tool/node_modules/.bin/redocly" ]; then
  (cd "$tool" && npm ci --no-audit --no-fund --loglevel=error)
fi
"$tool/node_modules/.bin/redocly" lint --config "$tool/redocly.yaml" --format=stylish docs/openapi.json
