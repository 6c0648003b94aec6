#!/usr/bin/env bash
# Pins a release's binaries in the Argo CD sidecar patch: writes the version and the SHA-256 digest
# of rollout-pace-<version>-linux-amd64.tar.gz and -arm64.tar.gz, read from the release folder's
# SHA256SUMS (scripts/package.sh writes it), into examples/argocd/repo-server-patch.yaml (or FILE),
# so that the init container checks the download against digests in the manifest itself.
# Usage: scripts/pin-argocd.sh RELEASE_DIR [FILE]      (docs/releasing.md, step 4)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: scripts/pin-argocd.sh RELEASE_DIR [FILE]}
file=${2:-examples/argocd/repo-server-patch.yaml}
version=$(sed -n 's/^project(rollout-pace VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[[ -n $version ]] || { echo "pin-argocd.sh: no version in CMakeLists.txt" >&2; exit 1; }
sums=()
for arch in amd64 arm64; do
  sum=$(awk -v f="rollout-pace-$version-linux-$arch.tar.gz" '$2 == f || $2 == "*" f { print $1 }' "$dir/SHA256SUMS")
  [[ $sum =~ ^[0-9a-f]{64}$ ]] || { echo "pin-argocd.sh: $dir/SHA256SUMS has no rollout-pace-$version-linux-$arch.tar.gz" >&2; exit 1; }
  (cd "$dir" && echo "$sum  rollout-pace-$version-linux-$arch.tar.gz" | sha256sum -c --quiet -) ||
    { echo "pin-argocd.sh: rollout-pace-$version-linux-$arch.tar.gz does not match SHA256SUMS" >&2; exit 1; }
  sums+=("$sum")
done
sed -i -E \
  -e "s/^( +version=)[0-9.]+$/\1$version/" \
  -e "s/^( +x86_64\) arch=amd64 sum=)[0-9a-f]{64}( ;;)$/\1${sums[0]}\2/" \
  -e "s/^( +aarch64\) arch=arm64 sum=)[0-9a-f]{64}( ;;)$/\1${sums[1]}\2/" "$file"
grep -q "sum=${sums[0]} ;;" "$file" && grep -q "sum=${sums[1]} ;;" "$file" ||
  { echo "pin-argocd.sh: $file has no pinned digests to replace" >&2; exit 1; }
echo "pinned rollout-pace $version in $file: amd64 ${sums[0]}, arm64 ${sums[1]}"
