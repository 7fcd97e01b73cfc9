#!/usr/bin/env bash
# Runs a throwaway PostgreSQL cluster for tests, from Debian's PostgreSQL
# binaries (initdb, pg_ctl), in a directory of its own.
#
# Usage: scripts/pg-cluster.sh start DIR
#          Creates DIR if missing, initialises a cluster in DIR/data (owner
#          role "warden", trust authentication, UTF8, locale C), starts it on
#          a free port of 127.0.0.1 and on a unix socket in DIR, waits until
#          it accepts connections, then prints exactly one line on stdout, a
#          libpq URI (postgresql://warden@127.0.0.1:PORT/postgres), and
#          writes it to DIR/uri. The server log is DIR/postgres.log. The
#          database "postgres" already holds the pg_trgm extension.
#        scripts/pg-cluster.sh stop DIR
#          Stops the cluster (fast shutdown) and removes DIR. A missing DIR
#          is not an error, so a test's cleanup trap may call it blindly.
#
# Everything but the URI goes to stderr. initdb refuses to run as root (CI
# runs as root): then the cluster is run as the `postgres` system user, who
# is given DIR (so DIR's parents must be open to that user: `start
# "$(mktemp -d)"` works, a subdirectory of a fresh mktemp -d does not);
# otherwise as the current user. Durability is traded for speed (fsync and
# full-page writes off): the data is thrown away anyway.
set -euo pipefail

readonly ROLE=warden
# Attempts at a free port: another process may take the one picked between
# the probe and the server's bind.
readonly PORT_ATTEMPTS=5
# Seconds to wait for the server to accept connections.
readonly READY_TIMEOUT=60

die() {
  echo "pg-cluster: $*" >&2
  exit 1
}

# Prints the directory holding initdb and pg_ctl: pg_config's answer when it
# has them, else the newest of Debian's versioned directories.
postgres_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir)"
    if [[ -x "${dir}/initdb" && -x "${dir}/pg_ctl" ]]; then
      echo "${dir}"
      return
    fi
  fi
  local candidates
  mapfile -t candidates < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r)
  for dir in "${candidates[@]}"; do
    if [[ -x "${dir}/initdb" && -x "${dir}/pg_ctl" ]]; then
      echo "${dir}"
      return
    fi
  done
  die "no PostgreSQL server binaries (initdb, pg_ctl) found; run scripts/install-deps.sh"
}

# Runs a command as the cluster's owner: `postgres` when we are root.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Prints a TCP port of 127.0.0.1 that nothing listens on at the moment.
free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# Quotes a value for postgresql.conf: single quotes, each ' doubled.
conf_quote() {
  printf "'%s'" "${1//\'/\'\'}"
}

start() {
  local dir="$1" bindir data log port uri attempt
  bindir="$(postgres_bindir)"
  mkdir -p "${dir}"
  dir="$(cd "${dir}" && pwd -P)"
  data="${dir}/data"
  log="${dir}/postgres.log"
  [[ ! -e "${data}" ]] || die "${data} already exists; stop that cluster first"

  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 ||
      die "running as root needs the postgres system user (package postgresql)"
    chown postgres: "${dir}"
    as_owner test -w "${dir}" ||
      die "user postgres cannot reach ${dir}: a parent directory is closed to it"
  fi
  # initdb and the server may resolve paths relative to the working
  # directory, which need not be readable by the cluster's owner.
  cd "${dir}"

  as_owner "${bindir}/initdb" --pgdata="${data}" --auth=trust \
    --username="${ROLE}" --encoding=UTF8 --locale=C --no-instructions \
    >"${dir}/initdb.log" 2>&1 ||
    { cat "${dir}/initdb.log" >&2; die "initdb failed"; }

  as_owner tee -a "${data}/postgresql.conf" >/dev/null <<EOF

# Throwaway test cluster (scripts/pg-cluster.sh): loopback and a socket in
# its own directory only; no durability.
listen_addresses = '127.0.0.1'
unix_socket_directories = $(conf_quote "${dir}")
max_connections = 200
fsync = off
synchronous_commit = on
full_page_writes = off
EOF

  for ((attempt = 1; attempt <= PORT_ATTEMPTS; attempt++)); do
    port="$(free_port)"
    if as_owner "${bindir}/pg_ctl" start --pgdata="${data}" --log="${log}" \
      --wait --timeout="${READY_TIMEOUT}" --silent -o "-p ${port}" >&2; then
      break
    fi
    if ((attempt == PORT_ATTEMPTS)); then
      tail -n 20 "${log}" >&2 || true
      die "the server did not start (log: ${log})"
    fi
    echo "pg-cluster: start on port ${port} failed; trying another" >&2
  done

  local waited=0
  until "${bindir}/pg_isready" --quiet --host=127.0.0.1 --port="${port}" \
    --username="${ROLE}" --dbname=postgres; do
    ((waited++ < READY_TIMEOUT)) || die "server not ready after ${READY_TIMEOUT}s (log: ${log})"
    sleep 1
  done

  uri="postgresql://${ROLE}@127.0.0.1:${port}/postgres"
  # The store's schema creates pg_trgm when missing, in its own schema.
  # Tests that give each store a schema of their own and drop it afterwards
  # would drop the extension with the first one, and every other store's
  # name index with it: made here once, in public, it outlives them.
  "${bindir}/psql" --no-psqlrc --quiet --set=ON_ERROR_STOP=1 "${uri}" \
    --command='CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public' >&2 ||
    die "cannot create the pg_trgm extension (package postgresql-contrib)"
  echo "${uri}" >"${dir}/uri"
  echo "${uri}"
}

stop() {
  local dir="$1" bindir
  [[ -e "${dir}" ]] || return 0
  dir="$(cd "${dir}" && pwd -P)"
  # Removes only what start made: a directory holding a cluster or its URI.
  [[ -e "${dir}/data/PG_VERSION" || -e "${dir}/uri" ]] ||
    die "${dir} does not look like a cluster started by this script; not removing it"
  if [[ -e "${dir}/data/postmaster.pid" ]]; then
    bindir="$(postgres_bindir)"
    cd "${dir}"
    as_owner "${bindir}/pg_ctl" stop --pgdata="${dir}/data" --mode=fast \
      --wait --silent >&2 || echo "pg-cluster: pg_ctl stop failed; removing anyway" >&2
    cd /
  fi
  rm -rf -- "${dir}"
}

main() {
  (($# == 2)) || die "usage: $0 start|stop DIR"
  case "$1" in
    start) start "$2" ;;
    stop) stop "$2" ;;
    *) die "usage: $0 start|stop DIR" ;;
  esac
}

main "$@"
