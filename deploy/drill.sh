#!/usr/bin/env bash
# The failure drill: the production set-up of deploy/ on this machine, 127.0.0.1 only,
# ports and data directories of its own, everything stopped and removed at the end.
#
#   deploy/drill.sh            (as root: PostgreSQL and pgbouncer run as the postgres user)
#
# Starts a PostgreSQL 15 primary and a streaming replica (deploy/postgresql/replica.sh),
# pgbouncer in transaction pooling in front of both (deploy/pgbouncer/pgbouncer.ini), two
# gunicorn instances behind nginx with TLS (deploy/nginx/xieshang.conf), a Celery worker
# and the beat. Then deploy/drill.py drives bench/intake.py's citizens through nginx: two
# web instances, then one after the other is killed (SIGKILL, mid-load); meanwhile the
# replica is paused and the Celery worker restarted. It compares the submissions
# acknowledged with the rows stored, times dashboards and search on the replica and on the
# primary, stops the primary (a submission meanwhile gets the 503 "稍后再试" page, nothing
# stored), promotes the replica, points pgbouncer at it, and prints a JSON summary.
#
# Bounded: a watchdog ends the whole drill after DRILL_TIMEOUT seconds (default 330).
# Variables: DRILL_PORT_BASE (47000), LOAD_SECONDS (25), CLIENTS (12), WEB_WORKERS (3),
# DRILL_REDIS_URL (redis://127.0.0.1:6379/12; its Celery queues are emptied), KEEP=1 to
# keep the temporary directory, PGBIN (/usr/lib/postgresql/15/bin).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
VENV_BIN=$(dirname "$PY")
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
BASE=${DRILL_PORT_BASE:-47000}
P_PRIMARY=$((BASE + 1))
P_REPLICA=$((BASE + 2))
P_BOUNCER=$((BASE + 3))
P_WEB1=$((BASE + 11))
P_WEB2=$((BASE + 12))
P_HTTP=$((BASE + 80))
P_HTTPS=$((BASE + 43))
WEB_WORKERS=${WEB_WORKERS:-3}
REDIS_URL=${DRILL_REDIS_URL:-redis://127.0.0.1:6379/12}
DRILL_TIMEOUT=${DRILL_TIMEOUT:-330}

log() { printf '[drill %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (PostgreSQL and pgbouncer are started as postgres)"
for tool in "$PGBIN/initdb" "$PGBIN/pg_ctl" /usr/sbin/nginx /usr/sbin/pgbouncer openssl runuser; do
    command -v "$tool" >/dev/null || die "missing $tool (apt-get install nginx pgbouncer postgresql-15)"
done
for port in $P_PRIMARY $P_REPLICA $P_BOUNCER $P_WEB1 $P_WEB2 $P_HTTP $P_HTTPS; do
    if ss -Htln "sport = :$port" | grep -q .; then die "port $port is in use (DRILL_PORT_BASE)"; fi
done

cd "$ROOT"
T=$(mktemp -d /tmp/xieshang-drill.XXXXXX)
chmod 755 "$T"
mkdir -p "$T/pids" "$T/var/media" "$T/nginx" "$T/tls" "$T/logs"
install -d -o postgres -g postgres -m 0755 "$T/pg" "$T/pg/sock"
export T

as_pg() { runuser -u postgres -- "$@"; }

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    [ -n "${WATCHDOG:-}" ] && kill "$WATCHDOG" 2>/dev/null || true
    log "cleaning up"
    for file in "$T"/pids/*; do
        [ -f "$file" ] || continue
        local pid
        pid=$(cat "$file")
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    [ -f "$T/nginx/nginx.pid" ] && kill -QUIT "$(cat "$T/nginx/nginx.pid")" 2>/dev/null || true
    [ -f "$T/pg/pgbouncer.pid" ] && kill -INT "$(cat "$T/pg/pgbouncer.pid")" 2>/dev/null || true
    for cluster in primary replica; do
        [ -f "$T/pg/$cluster/postmaster.pid" ] &&
            as_pg "$PGBIN/pg_ctl" -D "$T/pg/$cluster" -m immediate -w stop >/dev/null 2>&1 || true
    done
    sleep 1
    for file in "$T"/pids/*; do
        [ -f "$file" ] || continue
        kill -KILL -- "-$(cat "$file")" 2>/dev/null || true
    done
    "$PY" - "$REDIS_URL" <<'PYCODE' 2>/dev/null || true
import sys, redis
client = redis.Redis.from_url(sys.argv[1])
client.delete("celery", "intake", "unacked", "unacked_index")
PYCODE
    if [ "${KEEP:-0}" = 1 ]; then log "kept $T"; else rm -rf "$T"; fi
    exit $status
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
( sleep "$DRILL_TIMEOUT"; echo "[drill] watchdog: ${DRILL_TIMEOUT}s are up" >&2; kill -TERM $$ ) &
WATCHDOG=$!

# --- PostgreSQL: the primary --------------------------------------------------------------
log "primary on 127.0.0.1:$P_PRIMARY"
as_pg "$PGBIN/initdb" -D "$T/pg/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$T/logs/initdb.log"
cat >>"$T/pg/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $P_PRIMARY
unix_socket_directories = '$T/pg/sock'
timezone = 'UTC'
shared_buffers = 64MB
max_connections = 60
CONF
as_pg "$PGBIN/pg_ctl" -D "$T/pg/primary" -l "$T/pg/primary.log" -w start >/dev/null
PGCONF="$T/pg/primary" PGPORT=$P_PRIMARY REPLICATION_PASSWORD=drill REPLICA_NETWORK=127.0.0.1/32 \
    "$ROOT/deploy/postgresql/replica.sh" primary >&2
as_pg "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$P_PRIMARY" -U postgres -c "CREATE DATABASE xieshang" postgres

# --- The application's environment -------------------------------------------------------
SECRET=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
FERNET=$("$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
cat >"$T/app.env" <<ENV
DATABASE_URL=postgres://postgres@127.0.0.1:$P_BOUNCER/xieshang
DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$P_BOUNCER/xieshang_replica
DB_POOLER=transaction
DB_CONN_MAX_AGE=60
REDIS_URL=$REDIS_URL
DEBUG=0
SECRET_KEY=$SECRET
FIELD_ENCRYPTION_KEY=$FERNET
ALLOWED_HOSTS=127.0.0.1
CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$P_HTTPS
HTTPS=1
SECURE_HSTS_SECONDS=0
BEHIND_PROXY=1
AXES_ENABLED=0
SMS_CONSOLE_ALLOWED=1
XIESHANG_VAR_DIR=$T/var
XIESHANG_MEDIA_ROOT=$T/var/media
XIESHANG_MEDIA_X_ACCEL=/_media/
LOG_LEVEL=WARNING
PYTHONUNBUFFERED=1
ENV
app_env() { env -i PATH="$VENV_BIN:/usr/bin:/bin" HOME="$T" $(cat "$T/app.env") "$@"; }

log "migrate, collectstatic, seed (directly on the primary)"
app_env DATABASE_URL="postgres://postgres@127.0.0.1:$P_PRIMARY/xieshang" DATABASE_REPLICA_URL= \
    "$PY" "$ROOT/manage.py" migrate --noinput >"$T/logs/migrate.log" 2>&1 || { tail -20 "$T/logs/migrate.log"; die migrate; }
app_env "$PY" "$ROOT/manage.py" collectstatic --noinput >"$T/logs/collectstatic.log" 2>&1 || die collectstatic
app_env DATABASE_URL="postgres://postgres@127.0.0.1:$P_PRIMARY/xieshang" DATABASE_REPLICA_URL= \
    "$PY" "$ROOT/deploy/drill.py" seed >"$T/seed.json" || die seed

# --- The replica: pg_basebackup from the primary, streaming --------------------------------
log "replica on 127.0.0.1:$P_REPLICA (pg_basebackup)"
PGDATA="$T/pg/replica" PRIMARY_HOST=127.0.0.1 PRIMARY_PORT=$P_PRIMARY REPLICATION_PASSWORD=drill \
    START=none "$ROOT/deploy/postgresql/replica.sh" standby >&2
echo "port = $P_REPLICA" | as_pg tee -a "$T/pg/replica/postgresql.auto.conf" >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$T/pg/replica" -l "$T/pg/replica.log" -w start >/dev/null

# --- pgbouncer: deploy/pgbouncer/pgbouncer.ini with this machine's addresses ---------------
log "pgbouncer on 127.0.0.1:$P_BOUNCER"
echo '"postgres" ""' | as_pg tee "$T/pg/userlist.txt" >/dev/null
sed -e "s/host=10.0.1.21 port=5432/host=127.0.0.1 port=$P_PRIMARY/" \
    -e "s/host=10.0.1.22 port=5432/host=127.0.0.1 port=$P_REPLICA/" \
    -e "s/^listen_port = .*/listen_port = $P_BOUNCER/" \
    -e "s|^unix_socket_dir = .*|unix_socket_dir = $T/pg/sock|" \
    -e "s/^auth_type = .*/auth_type = trust/" \
    -e "s|^auth_file = .*|auth_file = $T/pg/userlist.txt|" \
    -e "s|^logfile = .*|logfile = $T/pg/pgbouncer.log|" \
    -e "s|^pidfile = .*|pidfile = $T/pg/pgbouncer.pid|" \
    -e "s/^default_pool_size = .*/default_pool_size = 12/" \
    "$ROOT/deploy/pgbouncer/pgbouncer.ini" | as_pg tee "$T/pg/pgbouncer.ini" >/dev/null
as_pg /usr/sbin/pgbouncer -d "$T/pg/pgbouncer.ini"

# --- Two web instances, the Celery worker and the beat -----------------------------------
spawn() { # name command...: in a session of its own, its pid (= its group) in pids/name
    local name=$1
    shift
    app_env setsid sh -c 'echo $$ >"$0"; exec "$@"' "$T/pids/$name" "$@" >"$T/logs/$name.log" 2>&1 &
    for _ in $(seq 50); do [ -s "$T/pids/$name" ] && return 0; sleep 0.1; done
    die "$name did not start"
}
for web in "web1 $P_WEB1" "web2 $P_WEB2"; do
    set -- $web
    spawn "$1" "$VENV_BIN/gunicorn" xieshang.wsgi --workers "$WEB_WORKERS" --bind "127.0.0.1:$2" \
        --timeout 60 --graceful-timeout 10 --access-logfile /dev/null --no-control-socket
done
spawn worker "$VENV_BIN/celery" -A xieshang worker --loglevel WARNING --concurrency 1 \
    --queues intake,celery --hostname "drill@%h"
spawn beat "$VENV_BIN/celery" -A xieshang beat --loglevel WARNING --schedule "$T/beat-schedule"

# --- nginx: deploy/nginx/xieshang.conf on this machine's ports, a self-signed certificate --
log "nginx on https://127.0.0.1:$P_HTTPS"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
    -keyout "$T/tls/privkey.pem" -out "$T/tls/fullchain.pem" >/dev/null 2>&1
sed -e "s/10.0.1.11:8000/127.0.0.1:$P_WEB1/g" -e "s/10.0.1.12:8000/127.0.0.1:$P_WEB2/g" \
    -e "/listen \[::\]/d" -e "s/listen 80;/listen 127.0.0.1:$P_HTTP;/" \
    -e "s/listen 443 ssl http2;/listen 127.0.0.1:$P_HTTPS ssl;/" \
    -e "s|/etc/ssl/xieshang/|$T/tls/|g" -e "s|/srv/xieshang/app/|$ROOT/|g" \
    -e "s|/srv/xieshang/staticfiles/|$T/var/staticfiles/|g" -e "s|/srv/xieshang/media/|$T/var/media/|g" \
    "$ROOT/deploy/nginx/xieshang.conf" >"$T/nginx/site.conf"
cat >"$T/nginx/nginx.conf" <<CONF
user root;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log warn;
events { worker_connections 2048; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $T/nginx/access.log;
    client_body_temp_path $T/nginx/body;
    proxy_temp_path $T/nginx/proxy;
    fastcgi_temp_path $T/nginx/fastcgi;
    uwsgi_temp_path $T/nginx/uwsgi;
    scgi_temp_path $T/nginx/scgi;
    include $T/nginx/site.conf;
}
CONF
/usr/sbin/nginx -t -q -c "$T/nginx/nginx.conf" -e "$T/nginx/error.log"
/usr/sbin/nginx -c "$T/nginx/nginx.conf" -e "$T/nginx/error.log"

# --- The drill itself ----------------------------------------------------------------------
cat >"$T/drill.env" <<ENV
ROOT=$ROOT
PGBIN=$PGBIN
P_PRIMARY=$P_PRIMARY
P_REPLICA=$P_REPLICA
P_BOUNCER=$P_BOUNCER
P_WEB1=$P_WEB1
P_WEB2=$P_WEB2
P_HTTPS=$P_HTTPS
ENV
log "load and failures (deploy/drill.py)"
# In the background and waited for, so the watchdog's TERM is handled at once.
"$PY" "$ROOT/deploy/drill.py" run "$T" &
echo $! >"$T/pids/drill-py"
wait $!
