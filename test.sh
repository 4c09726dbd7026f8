#!/usr/bin/env bash
# Runs every test of the solution against real PostgreSQL (a throwaway cluster per test process,
# or the server named by LLMTR_TEST_POSTGRES) and browser journeys in Chromium. Installs what the tests need
# when it is missing.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

if [ -z "${LLMTR_TEST_POSTGRES:-}" ]; then
  ensure_postgres
fi
ensure_redis
ensure_chromium
ensure_clients

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test LlmTr.sln "$@" 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test projects.
awk '/^(Passed|Failed)!/ { gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
