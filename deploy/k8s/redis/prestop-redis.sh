#!/bin/sh
# Before a master stops (rolling update, drain): ask the Sentinels to promote a replica now rather
# than after 5 s of failure detection, and wait (up to 20 s) until this Redis is a replica.
set -u
. "$(dirname "$0")/redis-common.sh"

[ "$(replication_field "$SELF" role)" = master ] || exit 0
[ "$(replication_field "$SELF" connected_slaves)" -gt 0 ] 2>/dev/null || exit 0

for peer in $PEERS; do
  [ "$peer" = "$SELF" ] && continue
  reply=$(timeout 5 redis-cli --raw -h "$peer" -p "$SENTINEL_PORT" SENTINEL FAILOVER "$MASTER_NAME" 2>/dev/null) || true
  [ "$reply" = OK ] && break
done

i=0
while [ "$i" -lt 20 ]; do
  [ "$(replication_field "$SELF" role)" = slave ] && exit 0
  sleep 1
  i=$((i + 1))
done
exit 0
