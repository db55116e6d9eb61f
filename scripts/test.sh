#!/usr/bin/env bash
# The test command of the README: installs what the tests need when it is missing, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
# The cluster tests start a throwaway PostgreSQL server from Debian's binaries.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_packages+=(postgresql)
# docker-compose.yml is validated with `docker-compose config` (no Docker engine needed).
command -v docker-compose >/dev/null 2>&1 || need_packages+=(docker-compose)
# deploy/kubernetes is rendered with `kubectl kustomize` (no cluster needed) and checked against the API's schema.
command -v kubectl >/dev/null 2>&1 || need_packages+=(kubernetes-client)
# The dashboard test scrapes a real host with Prometheus and runs every panel's query.
command -v prometheus >/dev/null 2>&1 || need_packages+=(prometheus)
# The resumable-upload tests run tus-js-client in Node and record in Debian's Chromium (driven by Playwright).
command -v node >/dev/null 2>&1 || need_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || need_packages+=(npm)
[ -x /usr/bin/chromium ] || need_packages+=(chromium)
# DurableRenameTests runs a host under strace to see the folder fsync after each rename that makes a file current.
command -v strace >/dev/null 2>&1 || need_packages+=(strace)
if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "Installing ${need_packages[*]} from Debian's packages..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_packages[@]}" >/dev/null
fi

# tus-js-client for the /recorder page and the Node tests, from the committed lock file (the build would run this too).
if [ ! -d src/Recordings.Api/node_modules/tus-js-client ]; then
  (cd src/Recordings.Api && npm ci --no-audit --no-fund)
fi

if [ -f docker-compose.yml ]; then
  docker-compose -f docker-compose.yml config --quiet
  echo "docker-compose.yml: valid"
fi

# Fails here on broken YAML or kustomization; KubernetesManifestTests then reads every object strictly.
kubectl kustomize deploy/kubernetes >/dev/null
echo "deploy/kubernetes: renders"

log=$(mktemp)
set +e
dotnet test RecordingsCluster.sln --nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain closing line with the counts of every test project, whatever the runner printed above it.
passed=$(grep -E '^\s+Passed: [0-9]+$' "$log" | awk '{ sum += $NF } END { print sum + 0 }' || true)
failed=$(grep -E '^\s+Failed: [0-9]+$' "$log" | awk '{ sum += $NF } END { print sum + 0 }' || true)
# CI shows only the end of the output: repeat each failed test with the start of its message there.
if [ "${failed:-0}" != "0" ]; then
  echo "failed tests:"
  grep -E -A 12 '^\s+Failed [A-Za-z]' "$log" | grep -v -E '^\s+Passed ' | head -n 120 || true
fi
rm -f "$log"
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
