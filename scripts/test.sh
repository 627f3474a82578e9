#!/usr/bin/env bash
# The whole test suite, as `npm test` and CI run it:
#   1. unit and integration tests on PGlite (the embedded default);
#   2. the same tests on a real PostgreSQL server (each test file in its own schema);
#   3. end-to-end tests in Debian's Chromium against a started Préau;
#   4. the cluster's fault tests: 3 nodes behind nginx on their own PostgreSQL and Redis, a node
#      killed, PostgreSQL restarted, Redis down, a rolling restart, all under load (~2-3 min).
# Ends with one line "N passed, N failed" summing the four runs.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-services.sh || exit 1
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
PG_URL="${PREAU_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
out=$(mktemp -d)
status=0

run() { # name, then the command
  local name=$1; shift
  printf '\n=== %s ===\n' "$name"
  "$@" --reporter=default --reporter=json --outputFile="$out/$name.json" || status=1
}

run pglite npx vitest run
TEST_DATABASE_URL="$PG_URL" run postgres npx vitest run
npm run --silent build || status=1
run e2e npx vitest run --config vitest.e2e.config.ts
run cluster npx vitest run --config vitest.cluster.config.ts

node -e '
  const fs = require("fs"); let passed = 0, failed = 0, skipped = 0;
  for (const f of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests || 0);
    console.log(`  ${f.replace(".json", "").padEnd(9)} ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  }
  console.log(`\n${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (passed === 0) process.exit(1);
' "$out" || status=1
rm -rf "$out"
exit $status
