#!/usr/bin/env bash
# Runs every test. Tests start their own private redis-server on a free port and their
# own headless Chromium, so this script only makes sure both are installed (Debian's
# redis-server, redis-tools and chromium packages); the storage tests run a second
# time on a private Redis Cluster, with the
# engine's and the outbox's. Then every fuzz target (the parsers of outside
# input) runs for FUZZTIME (default 3s) beyond its seed corpus in testdata/fuzz/.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools) # joins the test cluster
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils) # pdftoppm, pdftotext, pdfinfo: the panel letter tests
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

go vet ./...
go test -count=1 -race -timeout 30m "$@" ./...
# the storage, engine and outbox tests again on a private Redis Cluster (3 masters,
# 3 replicas); the storage pass checks that every Lua script ran there
PB_TEST_CLUSTER=1 go test -count=1 -timeout 20m "$@" ./storage/ ./bot/ ./bot/outbox/

fuzztime="${FUZZTIME:-3s}"
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r file; do
  dir=$(dirname "$file")
  for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
    echo "fuzz $dir $target ($fuzztime)"
    # Go's fuzzer sometimes reports "context deadline exceeded" when -fuzztime
    # ends while it stops its workers, with no failing input: that run is tried
    # again once; a real failure writes its input under testdata/fuzz and fails
    for try in 1 2; do
      if go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "$dir" >/tmp/fuzz-$$.log 2>&1; then
        break
      fi
      if [ "$try" = 1 ] && grep -q 'context deadline exceeded' /tmp/fuzz-$$.log && ! grep -q 'Failing input written' /tmp/fuzz-$$.log; then
        echo "  (the fuzzer stopped with context deadline exceeded and no failing input: once more)"
        continue
      fi
      cat /tmp/fuzz-$$.log
      exit 1
    done
  done
done
rm -f /tmp/fuzz-$$.log
