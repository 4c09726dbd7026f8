#!/usr/bin/env bash
# The gateway benchmark, in one command: installs what is missing (wrk, PostgreSQL, the pinned Portkey), builds Release,
# prepares LLMTR's database, user, key and credit through the host's own command line, then runs the measurements
# (bench/Runner) pinned to the load core. Options go to the runner: --quick, --soak, --targets, --duration, ... (README).
# --usage measures the usage writer's sustained rate instead (bench/Usage; its options follow it, see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh

LOAD_CORE="${BENCH_LOAD_CORE:-0}"
WORK="bench/.work"
STATE="$(pwd)/$WORK/state"
PG_PORT="${BENCH_POSTGRES_PORT:-54330}"
mkdir -p "$WORK/logs"

# --- micro-benchmarks (BenchmarkDotNet, in-process; no database, no load) -----------------------------------------
if [ "${1:-}" = "--micro" ]; then
  shift
  dotnet build bench/Micro -c Release -nologo -v quiet >"$WORK/logs/build.log" 2>&1 || { tail -n 30 "$WORK/logs/build.log" >&2; exit 1; }
  rm -rf "$WORK/micro"
  taskset -c "${BENCH_GATEWAY_CORE:-1}" dotnet bench/Micro/bin/Release/net10.0/LlmTr.Bench.Micro.dll --filter "${1:-*}" --artifacts "$WORK/micro" >&2
  mkdir -p bench/results
  { echo "Micro-benchmarks of the gateway's hot-path pieces ($(date -u '+%Y-%m-%d %H:%M UTC'), one pinned core; Allocated is exact, times vary with the machine's load)."
    echo
    sed -n '/^|/,$p' "$WORK"/micro/results/*-report-github.md
  } > bench/results/micro.md
  cat bench/results/micro.md
  exit 0
fi

# --- the usage writer's sustained rate (the real host in process, against the same database; no HTTP, no load tools) ---
mode=gateway
if [ "${1:-}" = "--usage" ]; then
  mode=usage
  shift
elif [ "${1:-}" = "--fanout" ]; then
  mode=fanout # what one change notice costs each other host in PostgreSQL (pgbench, no LLMTR process)
  shift
fi

# --- what the run needs -------------------------------------------------------------------------------------------
command -v taskset >/dev/null 2>&1 || apt_install util-linux
ensure_postgres
if [ "$mode" = gateway ]; then
  command -v wrk >/dev/null 2>&1 || apt_install wrk
  command -v node >/dev/null 2>&1 || apt_install nodejs npm
fi
if [ "$mode" = gateway ] && [ ! -f bench/portkey/node_modules/@portkey-ai/gateway/package.json ]; then
  echo "Installing the pinned Portkey gateway into bench/portkey (npm)..." >&2
  (cd bench/portkey && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

if [ "$(nproc)" -lt 2 ]; then
  echo "The benchmark needs two cores: one for the gateway under test, one for the load and the upstream." >&2
  exit 1
fi

# --- build (Release) ----------------------------------------------------------------------------------------------
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  echo "Building (Release)..." >&2
  projects=(src/LlmTr.Host bench/Upstream bench/Forwarder bench/Runner)
  if [ "$mode" = usage ]; then projects=(bench/Usage); fi # the host is built as its reference
  if [ "$mode" = fanout ]; then projects=(src/LlmTr.Host); fi # for its migrate command
  for project in "${projects[@]}"; do
    dotnet build "$project" -c Release -nologo -v quiet >"$WORK/logs/build.log" 2>&1 \
      || { tail -n 30 "$WORK/logs/build.log" >&2; exit 1; }
  done
fi

# --- LLMTR's database: the host's own local cluster, in a folder of the benchmark's own ------------------------------
# The host creates the cluster (LocalState__Directory) on first use; the benchmark keeps it running across the host
# processes it starts, pinned to the load core, and stops it at the end if it started it.
export LocalState__Directory="$STATE" LocalPostgres__Port="$PG_PORT"
# A production host with no payment provider must say top-ups are off, or it refuses to start (its commands too).
export ASPNETCORE_ENVIRONMENT=Production DOTNET_CLI_TELEMETRY_OPTOUT=1 Billing__TopUpsEnabled=false
# Nor without a mail server and a public address (links in mail); the benchmark sends no mail, so placeholders do.
export Smtp__Host=127.0.0.1 Site__PublicBaseUrl=https://llmtr.example.com
host() { (cd src/LlmTr.Host && dotnet bin/Release/net10.0/LlmTr.Host.dll "$@"); }
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
pg_bin="${pg_bin:-$(dirname "$(command -v pg_ctl)")}"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_data="$STATE/postgres/data"

[ -f "$pg_data/PG_VERSION" ] || host migrate >"$WORK/logs/migrate.log" 2>&1 || { cat "$WORK/logs/migrate.log" >&2; exit 1; }
started_pg=""
if ! as_postgres "$pg_bin/pg_ctl" status -D "$pg_data" >/dev/null 2>&1; then
  as_postgres taskset -c "$LOAD_CORE" "$pg_bin/pg_ctl" start -w -t 60 -D "$pg_data" -l "$STATE/postgres/postgres.log" \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" >/dev/null
  started_pg=1
fi
stop_pg() { if [ -n "$started_pg" ]; then as_postgres "$pg_bin/pg_ctl" stop -w -m fast -D "$pg_data" >/dev/null 2>&1 || true; fi; }
trap stop_pg EXIT

host migrate >"$WORK/logs/migrate.log" 2>&1 || { cat "$WORK/logs/migrate.log" >&2; exit 1; }
# A production host loads no demo data by itself: the catalog the benchmark calls (openai/gpt-4o) is the demo catalog,
# loaded once into the benchmark's own database. The measured host itself runs without demo mode.
Demo__Enabled=true host seed >"$WORK/logs/seed.log" 2>&1 || { cat "$WORK/logs/seed.log" >&2; exit 1; }
export BENCH_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Database=llmtr;Username=postgres;Password=$(cat "$STATE/postgres-password")"

if [ "$mode" = fanout ]; then
  # Every usage batch (and top-up) ends with a notice naming the accounts it changed; each other host re-reads those
  # accounts in one transaction. pgbench runs that transaction from clients pinned to the gateway core, against
  # PostgreSQL on the load core, for one account (a quiet batch) and for 200 (a busy host's batch).
  export PGPASSWORD="$(cat "$STATE/postgres-password")"
  psql=("$pg_bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d llmtr -v ON_ERROR_STOP=1 -q)
  "${psql[@]}" -f bench/fanout/seed.sql
  out="bench/results/fanout.md"
  { echo "# Change notices: what each other host's re-read costs PostgreSQL"
    echo
    echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') with \`bench/run.sh --fanout\`: \`pgbench\` runs the re-read a host makes on another host's change"
    echo "notice (bench/fanout/reload.sql: the named accounts' balances and key spend, one repeatable-read transaction), 4"
    echo "clients for 10 s on core ${BENCH_GATEWAY_CORE:-1}, PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') alone on core $LOAD_CORE; 100,000 accounts with 3 keys each."
    echo
    echo "| accounts per notice | re-reads/s | ms per re-read (mean) |"
    echo "|--:|--:|--:|"
  } > "$out"
  for k in 1 200; do
    result="$(taskset -c "${BENCH_GATEWAY_CORE:-1}" "$pg_bin/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c 4 -j 2 -T 10 -D k="$k" -f bench/fanout/reload.sql llmtr 2>&1)" \
      || { echo "$result" >&2; exit 1; }
    tps="$(echo "$result" | awk '/^tps/ { printf "%\047d", $3 }')"
    latency="$(echo "$result" | awk '/latency average/ { print $4 }')"
    echo "| $k | $tps | $latency |" >> "$out"
  done
  cat "$out"
  exit
fi

if [ "$mode" = usage ]; then
  # The host built inside the benchmark's process runs as the measured host below does (its database and secret named,
  # top-ups off, no migration on start, the runtime setting the README asks of production hosts), on one core of its
  # own; PostgreSQL keeps the load core it was started on.
  # The key-hashing secret exists once a key was made (the gateway run's); the writer hashes no key, so any will do.
  secret="$(cat "$STATE/keys-hash-secret" 2>/dev/null || head -c 32 /dev/urandom | base64)"
  export ConnectionStrings__Postgres="$BENCH_POSTGRES" Keys__HashSecret="$secret" Database__MigrateOnStart=false
  export DOTNET_TC_CallCountingDelayMs=0 BENCH_USAGE_CORE="${BENCH_GATEWAY_CORE:-1}"
  taskset -c "$BENCH_USAGE_CORE" dotnet bench/Usage/bin/Release/net10.0/LlmTr.Bench.Usage.dll "$@"
  exit
fi

email="bench@llmtr.local"
host users create --email "$email" --password "Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >/dev/null 2>&1 || true
key_name="bench-$(date -u +%Y%m%dT%H%M%S)"
key="$(host keys create --email "$email" --name "$key_name" 2>"$WORK/logs/key.log")" || { cat "$WORK/logs/key.log" >&2; exit 1; }
host credits grant --email "$email" --amount 100000 --reason "Benchmark run $key_name" >/dev/null 2>"$WORK/logs/credits.log" \
  || { cat "$WORK/logs/credits.log" >&2; exit 1; }

export BENCH_LLMTR_KEY="$key" BENCH_LLMTR_KEY_NAME="$key_name"
# The measured host runs as a production host must: its database and key-hashing secret named (the ones the commands
# above used), top-ups off (above), and the schema left to the migrate command run above, as a deployment step would.
export ConnectionStrings__Postgres="$BENCH_POSTGRES" Keys__HashSecret="$(cat "$STATE/keys-hash-secret")" Database__MigrateOnStart=false

# --- shared counters (--redis): LLMTR counts limits and holds in a Redis on the load core, as several hosts would -----
args=()
redis_pid=""
for arg in "$@"; do
  if [ "$arg" = "--redis" ]; then
    ensure_redis
    redis_port="${BENCH_REDIS_PORT:-6391}"
    taskset -c "$LOAD_CORE" redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/logs/redis.log" 2>&1 &
    redis_pid=$!
    export ConnectionStrings__Redis="127.0.0.1:$redis_port"
  else
    args+=("$arg")
  fi
done
stop_all() { if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; fi; stop_pg; }
trap stop_all EXIT

# --- measure ------------------------------------------------------------------------------------------------------
taskset -c "$LOAD_CORE" dotnet bench/Runner/bin/Release/net10.0/LlmTr.Bench.Runner.dll --load-core "$LOAD_CORE" "${args[@]}"

# What Redis did for the whole run (every target's requests went to LLMTR's counters only while LLMTR ran).
if [ -n "$redis_pid" ]; then
  ticks="$(getconf CLK_TCK)"
  cpu="$(awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$redis_pid/stat")"
  commands="$(redis-cli -p "$redis_port" INFO stats | tr -d '\r' | awk -F: '$1 == "total_commands_processed" { print $2 }')"
  echo "Redis: $commands commands, $cpu s of CPU for the run (bench/.work/logs/redis-stats.txt)." >&2
  printf 'commands %s\ncpu_seconds %s\n' "$commands" "$cpu" > "$WORK/logs/redis-stats.txt"
  redis-cli -p "$redis_port" INFO commandstats | tr -d '\r' | grep '^cmdstat_' >> "$WORK/logs/redis-stats.txt"
fi
