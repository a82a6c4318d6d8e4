#!/usr/bin/env bash
# PostgreSQL streaming replication for xieshang (deploy/README.md, "The replica").
#
#   replica.sh primary    on the primary: a replication role, its pg_hba.conf line, a reload
#   replica.sh standby    on the replica host: copy the primary with pg_basebackup (a
#                         replication slot, WAL streamed during the copy) and configure it
#                         as a hot standby that follows the primary
#   replica.sh promote    on the replica: make it the primary (the old one must be down)
#   replica.sh status     on either: role, lag in bytes and seconds
#
# Run as root or postgres. Variables (defaults in brackets):
#   PGBIN [/usr/lib/postgresql/15/bin]  PGDATA [/var/lib/postgresql/15/main]
#   PGCONF [directory of postgresql.conf: /etc/postgresql/15/main, or PGDATA]
#   PGPORT [5432]  PRIMARY_HOST (standby)  PRIMARY_PORT [5432]
#   REPLICATION_USER [replicator]  REPLICATION_PASSWORD (primary, standby; or ~/.pgpass)
#   REPLICA_NETWORK [10.0.1.0/24] (primary: who may replicate)  SLOT [xieshang_replica]
#   START [pg_ctlcluster] (standby: how to start it afterwards; "none" to leave it stopped)
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGDATA=${PGDATA:-/var/lib/postgresql/15/main}
PGCONF=${PGCONF:-$( [ -f /etc/postgresql/15/main/postgresql.conf ] && echo /etc/postgresql/15/main || echo "$PGDATA")}
PGPORT=${PGPORT:-5432}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICATION_USER=${REPLICATION_USER:-replicator}
REPLICA_NETWORK=${REPLICA_NETWORK:-10.0.1.0/24}
SLOT=${SLOT:-xieshang_replica}
START=${START:-pg_ctlcluster}

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}
psql_local() { as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres "$@"; }

primary() {
    : "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD}"
    psql_local <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$REPLICATION_USER') THEN
    CREATE ROLE $REPLICATION_USER WITH REPLICATION LOGIN PASSWORD '$REPLICATION_PASSWORD';
  ELSE
    ALTER ROLE $REPLICATION_USER WITH REPLICATION LOGIN PASSWORD '$REPLICATION_PASSWORD';
  END IF;
END \$\$;
-- WAL for a standby (PostgreSQL 15's defaults, said out loud), and the replica's queries
-- not cancelled by the vacuum of rows they still read.
ALTER SYSTEM SET wal_level = 'replica';
ALTER SYSTEM SET max_wal_senders = 10;
ALTER SYSTEM SET max_replication_slots = 10;
ALTER SYSTEM SET hot_standby_feedback = on;
-- A slot keeps WAL for a standby that is away; this bounds it (a standby away longer is
-- copied again with "replica.sh standby").
ALTER SYSTEM SET max_slot_wal_keep_size = '20GB';
SQL
    local hba="$PGCONF/pg_hba.conf"
    local line="host replication $REPLICATION_USER $REPLICA_NETWORK scram-sha-256"
    grep -qF "$line" "$hba" || echo "$line" >>"$hba"
    psql_local -c "SELECT pg_reload_conf()" >/dev/null
    echo "primary ready: $REPLICATION_USER may replicate from $REPLICA_NETWORK (wal_level needs a restart if it changed)"
}

standby() {
    : "${PRIMARY_HOST:?set PRIMARY_HOST}"
    if [ -n "$(ls -A "$PGDATA" 2>/dev/null)" ]; then
        if [ "${FORCE:-0}" != 1 ]; then
            echo "$PGDATA is not empty: stop this cluster and run again with FORCE=1 to replace it" >&2
            exit 1
        fi
        find "$PGDATA" -mindepth 1 -delete
    fi
    install -d -o postgres -g postgres -m 0700 "$PGDATA"
    # -R writes standby.signal and primary_conninfo; -C -S creates the slot on the primary,
    # so the primary keeps the WAL this standby has not received yet.
    as_postgres env PGPASSWORD="${REPLICATION_PASSWORD:-}" "$PGBIN/pg_basebackup" \
        -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$REPLICATION_USER" -D "$PGDATA" \
        -X stream -R -C -S "$SLOT" --checkpoint=fast --no-password
    as_postgres tee -a "$PGDATA/postgresql.auto.conf" >/dev/null <<CONF
hot_standby = on
hot_standby_feedback = on
# Long dashboard queries may hold WAL replay back this long before being cancelled.
max_standby_streaming_delay = 30s
CONF
    case "$START" in
        pg_ctlcluster) pg_ctlcluster 15 main start ;;
        none) ;;
        *) $START ;;
    esac
    echo "standby of $PRIMARY_HOST:$PRIMARY_PORT in $PGDATA (slot $SLOT)"
}

promote() {
    as_postgres "$PGBIN/pg_ctl" promote -w -D "$PGDATA"
}

status() {
    psql_local -At <<'SQL'
SELECT CASE WHEN pg_is_in_recovery() THEN 'standby' ELSE 'primary' END;
SELECT 'replay_lag_bytes ' || coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)
  WHERE pg_is_in_recovery();
SELECT 'replay_delay_s ' || coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)
  WHERE pg_is_in_recovery();
SELECT 'standby ' || application_name || ' ' || state || ' lag_bytes ' || pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)
  FROM pg_stat_replication;
SQL
}

case "${1:-}" in
    primary | standby | promote | status) "$1" ;;
    *) sed -n '2,20p' "$0" >&2; exit 2 ;;
esac
