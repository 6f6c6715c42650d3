# Sourced by start-redis.sh, start-sentinel.sh and prestop-redis.sh: names of this pod and its peers.
# Every setting comes from the redis-settings ConfigMap or the pod; the defaults suit the base layout.
: "${REDIS_PASSWORD:?REDIS_PASSWORD is required}"
MASTER_NAME="${REDIS_MASTER_NAME:-mymaster}"
HEADLESS="${REDIS_HEADLESS_SERVICE:-redis}"
REPLICAS="${REDIS_REPLICAS:-3}"
PORT="${REDIS_PORT:-6379}"
SENTINEL_PORT="${SENTINEL_PORT:-26379}"
SET_NAME="${HOSTNAME%-*}"
# This pod's stable DNS name (redis-0.redis) and every member's, ordinal 0 first.
SELF="${REDIS_SELF_HOST:-$HOSTNAME.$HEADLESS}"
PEERS="${REDIS_PEERS:-}"
if [ -z "$PEERS" ]; then
  i=0
  while [ "$i" -lt "$REPLICAS" ]; do PEERS="$PEERS $SET_NAME-$i.$HEADLESS"; i=$((i + 1)); done
fi
FIRST_PEER=$(echo $PEERS | cut -d ' ' -f 1)
export REDISCLI_AUTH="$REDIS_PASSWORD"

# The master's name as the first Sentinel that knows it says (skipping this pod's own with "others").
ask_sentinels() {
  for peer in $PEERS; do
    [ "${1:-}" = others ] && [ "$peer" = "$SELF" ] && continue
    answer=$(timeout 3 redis-cli --raw -h "$peer" -p "$SENTINEL_PORT" \
      SENTINEL get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | head -n 1) || true
    case "$answer" in
      "" | *" "*) ;;
      *) echo "$answer"; return 0 ;;
    esac
  done
  return 1
}

# A field of INFO replication of the Redis at host $1.
replication_field() {
  timeout 3 redis-cli --raw -h "$1" -p "$PORT" INFO replication 2>/dev/null \
    | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }'
}
