#!/usr/bin/env bash
# Runs LLMTR on http://localhost:5080 in the foreground; Ctrl+C stops it.
# Without ConnectionStrings__Postgres it installs PostgreSQL if missing and keeps a local cluster in .local/
# (created on first run, started and stopped with the site, data kept between runs).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

if [ -z "${ConnectionStrings__Postgres:-}" ]; then
  ensure_postgres
fi

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
# Optimise hot code as soon as it is hot (README, "Runtime settings"): without this a busy host on one core keeps
# running its request path unoptimised for minutes.
export DOTNET_TC_CallCountingDelayMs="${DOTNET_TC_CallCountingDelayMs:-0}"
exec dotnet run --project src/LlmTr.Host -c Release "$@"
