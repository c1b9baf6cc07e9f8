// Package deploy holds no code: compose.yaml, Caddyfile and redis-init.sh run
// participatiebot as three replicas on a Redis Cluster behind one proxy (README.md,
// "Meer dan één machine"). Its tests check that the compose file holds together
// (there is no container engine in CI) and run redis-init.sh against six real
// redis-servers.
package deploy
