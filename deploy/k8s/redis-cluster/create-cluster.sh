#!/bin/sh
# Forms the cluster once: waits for every member, then gives the slots to 3 masters with a replica each.
# Does nothing when the members already form a cluster (a re-run of the Job, or a restart).
set -eu
pods=$REDIS_CLUSTER_PODS
service=$REDIS_CLUSTER_SERVICE
first="$service-0.$service"

addresses=""
i=0
while [ "$i" -lt "$pods" ]; do
  host="$service-$i.$service"
  until redis-cli -h "$host" ping 2>/dev/null | grep -q PONG; do
    echo "waiting for $host"; sleep 2
  done
  # CLUSTER MEET takes addresses, not names: the create step is given each member's current IP.
  ip=$(getent hosts "$host" | awk '{ print $1; exit }')
  addresses="$addresses $ip:6379"
  i=$((i + 1))
done

if redis-cli -h "$first" cluster info | grep -q '^cluster_state:ok'; then
  echo "the cluster is formed already"; exit 0
fi
known=$(redis-cli -h "$first" cluster info | awk -F: '/^cluster_known_nodes:/ { print $2 }' | tr -d '\r')
if [ "${known:-1}" -gt 1 ]; then
  echo "the members know each other but the cluster is not ok: left to an operator (redis-cli --cluster check $first:6379)" >&2
  exit 1
fi
# shellcheck disable=SC2086 # one argument per member
redis-cli --cluster create $addresses --cluster-replicas 1 --cluster-yes
until redis-cli -h "$first" cluster info | grep -q '^cluster_state:ok'; do
  echo "waiting for the cluster to agree"; sleep 2
done
echo "cluster formed:"; redis-cli -h "$first" cluster nodes
