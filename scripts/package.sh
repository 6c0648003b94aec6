#!/usr/bin/env bash
# Builds the release artifacts into dist/release/, all of one version (the one in CMakeLists.txt),
# from three static binaries: linux-amd64 (native), linux-arm64 (scripts/cross-arm64.sh) and
# windows-amd64 (scripts/cross-windows.sh):
#   rollout-pace-<version>.tgz and .prov     the Helm 4 plugin, signed (helm plugin package --sign), with
#                                            bin/linux-amd64, bin/linux-arm64 and bin/windows-amd64
#                                            (platformCommand chooses)
#   pace-<version>.tgz and .prov             helm pace, the CLI plugin for Helm 4 (cli/v1), signed the same way
#   pace-<version>-helm3.tgz and .asc        helm pace in Helm 3's format (Helm 3 verifies no plugin: the
#                                            detached signature, by the same key, is for gpgv)
#   rollout-pace-<version>-linux-ARCH.tar.gz the binary alone, for Helm 3's --post-renderer PATH (each ARCH)
#   rollout-pace_<version>_ARCH.deb          /usr/bin/rollout-pace and its man page (CPack; each ARCH)
#   rollout-pace-<version>-windows-amd64.zip rollout-pace.exe, static (scripts/cross-windows.sh), for
#                                            Helm on Windows; the plugin archive carries it too
#   rollout-pace-<version>-krm-function.oci.tar  the KRM function's image for linux/amd64 and linux/arm64,
#                                            an OCI layout archive (scripts/oci-image.py)
#   SHA256SUMS                               for sha256sum -c, over all of them
# Signing: ROLLOUT_PACE_SIGN_KEY names the GnuPG key, ROLLOUT_PACE_KEYRING is the secret keyring file
# it is in (gpg --export-secret-keys), ROLLOUT_PACE_PASSPHRASE_FILE its passphrase, if it has one.
# See docs/releasing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ROLLOUT_PACE_SIGN_KEY:?set ROLLOUT_PACE_SIGN_KEY to the signing key name (docs/releasing.md)}"
: "${ROLLOUT_PACE_KEYRING:?set ROLLOUT_PACE_KEYRING to the secret keyring file (docs/releasing.md)}"
[[ -r $ROLLOUT_PACE_KEYRING ]] || { echo "package.sh: cannot read the keyring $ROLLOUT_PACE_KEYRING" >&2; exit 2; }
scripts/deps.sh package
version=$(sed -n 's/^project(rollout-pace VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
for f in plugin.yaml plugins/pace/plugin.yaml plugins/pace/helm3/plugin.yaml; do
  v=$(sed -n 's/^version: *//p' "$f")
  [[ $version == "$v" ]] || { echo "package.sh: $f says $v, CMakeLists.txt $version" >&2; exit 1; }
done
helm4=$(scripts/fetch-tools.sh | sed -n 's/^helm4=//p')
out=dist/release
arches=(amd64 arm64)
declare -A build=([amd64]=build-static [arm64]=build-static-arm64)

cmake -S . -B "${build[amd64]}" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DROLLOUT_PACE_STATIC=ON \
  -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build "${build[amd64]}" -j "$(nproc)" >/dev/null
scripts/cross-arm64.sh "${build[arm64]}" >/dev/null
windows=$(scripts/cross-windows.sh build-static-windows)
x86_64-w64-mingw32-strip "$windows"
[[ $(WINEPREFIX=${WINEPREFIX:-$HOME/.cache/rollout-pace/wine} WINEDEBUG=-all /usr/lib/wine/wine64 "$windows" --version 2>/dev/null |
     tr -d '\r' | tail -n 1) == "rollout-pace $version" ]] ||
  { echo "package.sh: the windows binary's version is not $version (under wine64)" >&2; exit 1; }
for arch in "${arches[@]}"; do
  run=()
  [[ $arch == arm64 ]] && run=(qemu-aarch64-static)
  [[ $("${run[@]}" "${build[$arch]}/rollout-pace" --version) == "rollout-pace $version" ]] ||
    { echo "package.sh: the $arch binary's version is not $version" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
binaries() {  # DIR: each architecture's binary in DIR/bin/linux-ARCH/
  for arch in "${arches[@]}"; do
    mkdir -p "$1/bin/linux-$arch"
    cp "${build[$arch]}/rollout-pace" "$1/bin/linux-$arch/rollout-pace"
  done
}

# The Helm 4 plugin: top folder rollout-pace/, the binaries in bin/linux-ARCH/ (the install hook
# then builds nothing, and says so on a platform the archive has no binary for).
plugin=$stage/rollout-pace
mkdir -p "$plugin/scripts" "$plugin/bin/windows-amd64"
cp plugin.yaml README.md LICENSE "$plugin/"
cp scripts/install-plugin.sh "$plugin/scripts/"
binaries "$plugin"
cp "$windows" "$plugin/bin/windows-amd64/rollout-pace.exe"
sign=(--sign --key "$ROLLOUT_PACE_SIGN_KEY" --keyring "$ROLLOUT_PACE_KEYRING")
[[ -n ${ROLLOUT_PACE_PASSPHRASE_FILE:-} ]] && sign+=(--passphrase-file "$ROLLOUT_PACE_PASSPHRASE_FILE")
"$helm4" plugin package "${sign[@]}" -d "$out" "$plugin" >/dev/null
[[ -f $out/rollout-pace-$version.tgz && -f $out/rollout-pace-$version.tgz.prov ]] ||
  { echo "package.sh: helm plugin package wrote no rollout-pace-$version.tgz with its .prov" >&2; exit 1; }

# helm pace: the script and the binaries. Helm 4's archive is signed as the post-renderer's is.
pace=$stage/pace
mkdir -p "$pace"
cp plugins/pace/plugin.yaml plugins/pace/helm-pace README.md LICENSE "$pace/"
binaries "$pace"
"$helm4" plugin package "${sign[@]}" -d "$out" "$pace" >/dev/null
[[ -f $out/pace-$version.tgz && -f $out/pace-$version.tgz.prov ]] ||
  { echo "package.sh: helm plugin package wrote no pace-$version.tgz with its .prov" >&2; exit 1; }
# Helm 3's format, plugin.yaml at the archive's root (Helm 3 looks only there), and a detached
# signature by the same key.
cp plugins/pace/helm3/plugin.yaml "$pace/plugin.yaml"
tar --owner=0 --group=0 --numeric-owner -C "$pace" -czf "$out/pace-$version-helm3.tgz" plugin.yaml helm-pace bin README.md LICENSE
gpg_home=$(mktemp -d)
GNUPGHOME=$gpg_home gpg --batch --quiet --import "$ROLLOUT_PACE_KEYRING" 2>/dev/null
passphrase=(--passphrase "")
[[ -n ${ROLLOUT_PACE_PASSPHRASE_FILE:-} ]] && passphrase=(--passphrase-file "$ROLLOUT_PACE_PASSPHRASE_FILE")
GNUPGHOME=$gpg_home gpg --batch --quiet --pinentry-mode loopback "${passphrase[@]}" --local-user "$ROLLOUT_PACE_SIGN_KEY" \
  --armor --detach-sign -o "$out/pace-$version-helm3.tgz.asc" "$out/pace-$version-helm3.tgz"
GNUPGHOME=$gpg_home gpgconf --kill all 2>/dev/null || true
rm -rf "$gpg_home"

files=("rollout-pace-$version.tgz" "rollout-pace-$version.tgz.prov" "pace-$version.tgz" "pace-$version.tgz.prov"
       "pace-$version-helm3.tgz" "pace-$version-helm3.tgz.asc")
for arch in "${arches[@]}"; do
  # The binary alone, for Helm 3 and pipelines.
  tar --owner=0 --group=0 --numeric-owner -C "${build[$arch]}" -czf "$out/rollout-pace-$version-linux-$arch.tar.gz" rollout-pace
  # The Debian package.
  (cd "${build[$arch]}" && cpack -G DEB >/dev/null)
  mv "${build[$arch]}/rollout-pace_${version}_$arch.deb" "$out/"
  files+=("rollout-pace-$version-linux-$arch.tar.gz" "rollout-pace_${version}_$arch.deb")
done
# Windows: the program alone, in a zip (what Windows opens without tools).
zip=rollout-pace-$version-windows-amd64.zip
python3 - "$out/$zip" "$windows" LICENSE <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for path, name in ((sys.argv[2], "rollout-pace.exe"), (sys.argv[3], "LICENSE")):
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr, info.compress_type = 0o755 << 16, zipfile.ZIP_DEFLATED
        z.writestr(info, open(path, "rb").read())
PY
files+=("$zip")

# The KRM function's image, both platforms in one OCI image index.
image=rollout-pace-$version-krm-function.oci.tar
python3 scripts/oci-image.py "$version" "$out/$image" "amd64=${build[amd64]}/rollout-pace" \
  "arm64=${build[arm64]}/rollout-pace"
files+=("$image")
(cd "$out" && sha256sum "${files[@]}" > SHA256SUMS)
echo "package.sh: $out: version $version, static binaries amd64 $(stat -c %s "${build[amd64]}/rollout-pace")," \
  "arm64 $(stat -c %s "${build[arm64]}/rollout-pace") and windows-amd64 $(stat -c %s "$windows") bytes"
ls -1 "$out"
