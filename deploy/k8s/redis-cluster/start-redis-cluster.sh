#!/bin/sh
# One member of the Redis Cluster: the shared config plus what only the pod knows.
set -eu
name=$(hostname)
fqdn="$name.$REDIS_CLUSTER_SERVICE.$POD_NAMESPACE.svc.cluster.local"
exec redis-server /config/redis-cluster.conf \
  --requirepass "$REDIS_PASSWORD" --masterauth "$REDIS_PASSWORD" \
  --maxmemory "$REDIS_MAXMEMORY" \
  --cluster-announce-ip "$POD_IP" \
  --cluster-announce-hostname "$fqdn"
