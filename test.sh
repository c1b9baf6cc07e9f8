#!/usr/bin/env bash
# Runs every test. Tests start their own private redis-server on a free port, so this
# script only makes sure the binary is installed (Debian's redis-server package).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server not found: installing Debian's redis-server package" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi

go vet ./...
go test -count=1 -race "$@" ./...
