#!/bin/sh
# Starts the Sentinel of one pod. Its config is rebuilt on every start: the master is the one the
# other Sentinels name, else the Redis of the group that reports role:master, else ordinal 0.
set -eu
. "$(dirname "$0")/redis-common.sh"
QUORUM="${SENTINEL_QUORUM:-2}"
RUN_DIR="${SENTINEL_RUN_DIR:-/sentinel}"

find_running_master() {
  for peer in $PEERS; do
    if [ "$(replication_field "$peer" role)" = master ]; then echo "$peer"; return 0; fi
  done
  return 1
}

master=""
tries="${SENTINEL_DISCOVERY_TRIES:-15}"
while [ "$tries" -gt 0 ]; do
  if master=$(ask_sentinels others); then break; fi
  if master=$(find_running_master); then break; fi
  master=""
  tries=$((tries - 1))
  if [ "$tries" -gt 0 ]; then sleep 2; fi
done
if [ -z "$master" ]; then master="$FIRST_PEER"; fi
echo "monitoring $master as $MASTER_NAME"

# Sentinel rejects a config whose master does not resolve (a new group's pods reach DNS one by one).
until getent ahosts "$master" >/dev/null 2>&1; do
  echo "waiting for $master to resolve"; sleep 1
done

mkdir -p "$RUN_DIR"
conf="$RUN_DIR/sentinel.conf"
{
  echo "port $SENTINEL_PORT"
  echo "dir $RUN_DIR"
  if [ -n "${SENTINEL_BIND:-}" ]; then echo "bind $SENTINEL_BIND"; fi
  # The same password guards the Sentinels; each uses it with its peers too.
  echo "requirepass \"$REDIS_PASSWORD\""
  echo "sentinel resolve-hostnames yes"
  echo "sentinel announce-hostnames yes"
  echo "sentinel announce-ip $SELF"
  echo "sentinel announce-port $SENTINEL_PORT"
  echo "sentinel monitor $MASTER_NAME $master $PORT $QUORUM"
  echo "sentinel auth-pass $MASTER_NAME $REDIS_PASSWORD"
  echo "sentinel down-after-milliseconds $MASTER_NAME 5000"
  echo "sentinel failover-timeout $MASTER_NAME 60000"
  echo "sentinel parallel-syncs $MASTER_NAME 1"
} > "$conf"
chmod 600 "$conf"

exec redis-server "$conf" --sentinel
