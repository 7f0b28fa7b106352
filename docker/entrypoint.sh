#!/bin/sh
# In a container each replica must tell the cluster its own address: bind Hazelcast and the event bus
# to the container's IP unless CLUSTER_HOST is given. (`--scale merge=3` gives three different IPs.)
set -eu
if [ -z "${CLUSTER_HOST:-}" ]; then
  CLUSTER_HOST=$(hostname -i | awk '{print $1}')
  export CLUSTER_HOST
fi
exec java ${JAVA_OPTS:-} -Dhazelcast.logging.type=slf4j --add-modules java.se -jar /app/logmerge.jar "$@"
