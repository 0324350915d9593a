#!/usr/bin/env bash
# The browser suite: builds the binary, serves it on a fresh SQLite database
# and a free loopback port, creates the staff users, runs the walks in
# tests/browser/*.test.mjs with node's test runner against Debian's
# chromium (no browser download), and cleans up. Screenshots of failures
# and the server log land in target/browser-artifacts/.
#
#   bash tests/browser/run.sh            # all walks
#   bash tests/browser/run.sh mover      # only files whose name contains "mover"
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export CARGO_TERM_COLOR=never

CHROMIUM=${VELKOMST_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "browser suite: $CHROMIUM is missing (apt-get install -y chromium)" >&2
  exit 1
fi
# playwright-core and @axe-core/playwright are devDependencies (package-lock.json).
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/@axe-core/playwright ]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi

echo "== browser suite: building target/debug/velkomst"
cargo build --quiet --bin velkomst
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug/velkomst

ARTIFACTS=${CARGO_TARGET_DIR:-$ROOT/target}/browser-artifacts
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
WORK=$(mktemp -d /tmp/velkomst-browser.XXXXXX)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export VELKOMST_DATABASE_URL="sqlite://$WORK/velkomst.db"
export VELKOMST_LISTEN="127.0.0.1:$PORT"
export VELKOMST_PUBLIC_URL="http://127.0.0.1:$PORT"
export VELKOMST_INTAKE_LIMIT=0
export VELKOMST_LOG=warn
export VELKOMST_CONFIG=$WORK/browser.toml
# Everything the server writes (generated key, mail files) stays in $WORK.
printf 'data_dir = "%s"\n' "$WORK/data" > "$VELKOMST_CONFIG"

"$BIN" migrate >/dev/null
ADMIN_PASSWORD="violet-harbour-$RANDOM-$RANDOM"
CONSULTANT_PASSWORD="quiet-meadow-lantern-$RANDOM"
printf '%s\n' "$ADMIN_PASSWORD" | "$BIN" user add --email admin@browser.test --name "Alma Admin" --role admin --password-stdin >/dev/null
printf '%s\n' "$CONSULTANT_PASSWORD" | "$BIN" user add --email konsulent@browser.test --name "Karin Konsulent" --role consultant --area vordingborg --password-stdin >/dev/null

"$BIN" serve >"$ARTIFACTS/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "browser suite: the server did not start:" >&2
    cat "$ARTIFACTS/server.log" >&2
    exit 1
  fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null

export VELKOMST_BASE_URL="http://127.0.0.1:$PORT"
export VELKOMST_MAIL_DIR="$WORK/data/mail"
export VELKOMST_ADMIN_EMAIL=admin@browser.test VELKOMST_ADMIN_PASSWORD=$ADMIN_PASSWORD
export VELKOMST_CONSULTANT_EMAIL=konsulent@browser.test VELKOMST_CONSULTANT_PASSWORD=$CONSULTANT_PASSWORD
export VELKOMST_CHROMIUM=$CHROMIUM
export VELKOMST_ARTIFACTS=$ARTIFACTS

FILTER=${1:-}
FILES=()
for f in tests/browser/*.test.mjs; do
  case "$f" in *"$FILTER"*) FILES+=("$f") ;; esac
done
echo "== browser suite: ${#FILES[@]} files against $VELKOMST_BASE_URL"
node --test --test-concurrency=1 --test-reporter=spec "${FILES[@]}"
