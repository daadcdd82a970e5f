#!/usr/bin/env bash
# Builds the web UI (web/) into web/dist, which `pingan serve` serves at /.
# The npm packages are exactly those of web/package-lock.json (npm ci),
# installed again only when the lock file changed; after this nothing is
# fetched at run time (the UI works on a closed network).
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.pingan-lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi
npx vite build --logLevel warn
echo "web UI built into web/dist"
