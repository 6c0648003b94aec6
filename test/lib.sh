# shellcheck shell=bash disable=SC2034  # its variables are for the tests that source it
# The set-up the shell tests share. Each test sources it first, before it changes folder:
#   source "$(dirname "$0")/lib.sh" || exit 2
# It gives the test a scratch folder, its pass/fail helpers, the real Helm and kubectl binaries and
# a Helm home of the test's own. Nothing here runs a check: each test keeps its own.

# $tmp: the test's scratch folder, removed when the test exits. A test that leaves something
# running (a server, a gpg-agent) defines at_exit to stop it; at_exit runs first.
tmp=$(mktemp -d)
trap 'declare -F at_exit > /dev/null && at_exit; rm -rf "$tmp"' EXIT

# ok WHAT: a check passed. fail WHAT: a check failed; the test goes on and ends with `exit $failed`.
# die WHAT: the test cannot go on; it fails now.
failed=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failed=1; }
die() { echo "FAIL: $*"; exit 1; }

# fetch_tools: sets helm3, helm4 and kubectl to the real Helm 3, Helm 4 and kubectl binaries,
# fetched and cached by scripts/fetch-tools.sh (run from the source folder), or dies.
fetch_tools() {
  local tools
  tools=$(scripts/fetch-tools.sh) || die "scripts/fetch-tools.sh"
  helm3=$(sed -n 's/^helm3=//p' <<< "$tools")
  helm4=$(sed -n 's/^helm4=//p' <<< "$tools")
  kubectl=$(sed -n 's/^kubectl=//p' <<< "$tools")
}

# helm_env DIR: the variables that give Helm a home of its own in DIR, for `env $(helm_env DIR) helm
# ...`, so that no test reads or writes the user's (or another test's) plugins, repositories and
# cache. DIR must hold no blanks (the tests' are under $tmp).
helm_env() { echo "HELM_DATA_HOME=$1/data HELM_CONFIG_HOME=$1/config HELM_CACHE_HOME=$1/cache"; }

# project_version: the version CMakeLists.txt (in the current folder, the source folder) declares.
project_version() { sed -n 's/^project(rollout-pace VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt; }
