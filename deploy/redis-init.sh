#!/bin/sh
# Maakt het Redis Cluster eenmalig: wacht tot elke knoop in REDIS_NODES (host:poort,
# gescheiden door spaties) antwoordt, en roept redis-cli --cluster create aan met één
# replica per master, tenzij de eerste knoop al in een cluster zit (een herstart).
# Wacht daarna tot het cluster ok is. Gebruikt door deploy/compose.yaml (redis-init);
# deploy/compose_test.go draait het tegen zes echte redis-servers.
set -eu
addrs=""
for node in $REDIS_NODES; do
	host=${node%:*}
	port=${node##*:}
	tries=0
	until redis-cli -h "$host" -p "$port" ping 2>/dev/null | grep -q PONG; do
		tries=$((tries + 1))
		if [ "$tries" -ge 60 ]; then
			echo "redis-init: $node antwoordt niet" >&2
			exit 1
		fi
		sleep 1
	done
	ip=$(getent hosts "$host" | awk '{ print $1; exit }')
	addrs="$addrs ${ip:-$host}:$port"
done
first=${REDIS_NODES%% *}
known=$(redis-cli -h "${first%:*}" -p "${first##*:}" cluster info | tr -d '\r' | sed -n 's/^cluster_known_nodes://p')
if [ "${known:-1}" -gt 1 ]; then
	echo "redis-init: het cluster bestaat al ($known knopen)"
else
	# shellcheck disable=SC2086 # addrs is a list
	redis-cli --cluster create $addrs --cluster-replicas 1 --cluster-yes
fi
tries=0
until redis-cli -h "${first%:*}" -p "${first##*:}" cluster info | grep -q '^cluster_state:ok'; do
	tries=$((tries + 1))
	if [ "$tries" -ge 60 ]; then
		echo "redis-init: het cluster is niet ok binnen 60 s" >&2
		exit 1
	fi
	sleep 1
done
echo "redis-init: het cluster is ok"
