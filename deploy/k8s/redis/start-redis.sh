#!/bin/sh
# Starts the Redis of one pod of the Sentinel group. Its role comes from, in order: the Sentinels
# (they follow failovers); the role it had when it last ran (its config on the volume, which Sentinel
# rewrites on every failover); and for a brand-new group, ordinal 0 is the master.
set -eu
. "$(dirname "$0")/redis-common.sh"
CONFIG_DIR="${REDIS_CONFIG_DIR:-/config}"
DATA_DIR="${REDIS_DATA_DIR:-/data}"

master=""
tries="${REDIS_SENTINEL_TRIES:-5}"
while [ "$tries" -gt 0 ]; do
  if master=$(ask_sentinels); then break; fi
  master=""
  tries=$((tries - 1))
  if [ "$tries" -gt 0 ]; then sleep 2; fi
done

conf="$DATA_DIR/redis.conf"
if [ -n "$master" ]; then
  echo "the sentinels name $master as master"
elif [ -s "$conf" ]; then
  master=$(awk '$1 == "replicaof" { print $2 }' "$conf" | tail -n 1)
  if [ -z "$master" ]; then master="$SELF"; fi
  echo "no sentinel answered; keeping the last known role (master: $master)"
else
  master="$FIRST_PEER"
  echo "no sentinel answered and no previous role: new group, master is $master"
fi

# Rebuilt on every start (current password and role); Sentinel's CONFIG REWRITE keeps the role in it
# current while this Redis runs, which is what the fallback above reads next time.
mkdir -p "$DATA_DIR"
{
  cat "$CONFIG_DIR/redis.conf"
  echo "port $PORT"
  echo "dir $DATA_DIR"
  echo "replica-announce-ip $SELF"
  echo "replica-announce-port $PORT"
  echo "requirepass \"$REDIS_PASSWORD\""
  echo "masterauth \"$REDIS_PASSWORD\""
  echo "min-replicas-to-write ${REDIS_MIN_REPLICAS_TO_WRITE:-0}"
  echo "maxmemory ${REDIS_MAXMEMORY:-0}"
  if [ -n "${REDIS_BIND:-}" ]; then echo "bind $REDIS_BIND"; fi
  if [ "$master" != "$SELF" ]; then echo "replicaof $master $PORT"; fi
} > "$conf.new"
chmod 600 "$conf.new"
mv "$conf.new" "$conf"

exec redis-server "$conf"
