# Installs what the run and test commands need when it is missing. Sourced by run.sh and test.sh.
# Debian packages only; needs root or sudo the first time.

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "Installing needs root: run as root or install sudo ($*)" >&2; exit 1
  fi
}

apt_install() {
  echo "Installing $* (Debian packages)..." >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

has_postgres() {
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1
}

ensure_postgres() {
  has_postgres || apt_install postgresql
  # As root the cluster runs as the postgres user, which may need an ACL entry to pass through the checkout's folders.
  if [ "$(id -u)" = 0 ] && ! command -v setfacl >/dev/null 2>&1; then apt_install acl; fi
}

# Tests of counters shared across hosts start their own Redis (nothing kept on disk), as they do PostgreSQL.
ensure_redis() {
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
}

# Browser journeys drive Debian's Chromium (Playwright's own browser download cannot be used).
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 || apt_install chromium
}

# The real-client tests drive the official SDKs and agent CLIs from tests/clients, pinned by its package-lock.json.
# Installed again only when the lockfile changed since the last install.
ensure_clients() {
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  local dir=tests/clients
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "Installing the real-client test packages (npm ci)..." >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
