#!/usr/bin/env bash
# The release artifacts, as a user meets them (scripts/package.sh, with a throwaway GnuPG key made
# here; no key lives in the repository):
#   - the binary is static (ldd) and paces a real stream in an empty root holding nothing else;
#   - the Helm 4 plugin archive verifies, installs with verification on and no compiler on PATH,
#     from the file and from a URL on 127.0.0.1, and then paces charts/example in helm template;
#   - an archive altered by one byte, or a .prov signed by another key, is refused;
#   - SHA256SUMS checks, the plain archive holds the binary, the Debian package installs with
#     dpkg -i (into a scratch root) with its man page, and every artifact carries one version;
#   - the KRM function's OCI image: both platforms' filesystems run their entrypoint on a ResourceList;
#   - the windows-amd64 zip and the plugin archive's Windows binary pace under wine64.
set -u
source "$(dirname "$0")/lib.sh" || exit 2
source=$1
cd "$source" || exit 2
server=""
at_exit() {
  [[ -n $server ]] && kill "$server" 2>/dev/null
  declare -F wine_at_exit > /dev/null && wine_at_exit
  GNUPGHOME=$tmp/gnupg gpgconf --kill all 2>/dev/null  # no gpg-agent left behind
}

version=$(project_version)
fetch_tools
[[ -x $helm4 ]] || die "no Helm 4 binary from scripts/fetch-tools.sh"

# Two throwaway keys: the release key and a stranger's.
export GNUPGHOME=$tmp/gnupg
mkdir -m 700 "$GNUPGHOME"
for who in release stranger; do
  gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
    --quick-gen-key "rollout-pace $who <$who@rollout-pace.invalid>" rsa3072 sign never 2>/dev/null
  gpg --batch --export-secret-keys "rollout-pace $who" > "$tmp/$who.secring.gpg"
  gpg --batch --export "rollout-pace $who" > "$tmp/$who.pubring.gpg"
done

ROLLOUT_PACE_SIGN_KEY="rollout-pace release" ROLLOUT_PACE_KEYRING=$tmp/release.secring.gpg \
  scripts/package.sh > "$tmp/package.log" 2>&1 || { cat "$tmp/package.log"; die "scripts/package.sh"; }
dist=$source/dist/release
archive=rollout-pace-$version.tgz
for f in "$archive" "$archive.prov" "pace-$version.tgz" "pace-$version.tgz.prov" "pace-$version-helm3.tgz" \
  "pace-$version-helm3.tgz.asc" "rollout-pace-$version-linux-amd64.tar.gz" "rollout-pace_${version}_amd64.deb" \
  "rollout-pace-$version-linux-arm64.tar.gz" "rollout-pace_${version}_arm64.deb" "rollout-pace-$version-windows-amd64.zip" \
  "rollout-pace-$version-krm-function.oci.tar" SHA256SUMS; do
  [[ -f $dist/$f ]] || fail "dist/release/$f is missing"
done
tail -n 1 "$tmp/package.log" | sed 's/^/  /'

# 1. A static binary that runs alone.
binary=$source/build-static/rollout-pace
if ldd "$binary" 2>&1 | grep -q "not a dynamic executable"; then ok "ldd: not a dynamic executable"; else fail "ldd: $(ldd "$binary" 2>&1 | head -3)"; fi
echo "  static binary: $(stat -c %s "$binary") bytes"
root=$tmp/empty-root
mkdir -p "$root"
cp "$binary" "$root/rollout-pace"
cp "$source/test/golden/profile-paranoid/input.yaml" "$root/in.yaml"
if chroot "$root" /rollout-pace --profile Paranoid --timeout 1h < "$root/in.yaml" > "$tmp/chroot.out" 2> "$tmp/chroot.err"; then
  if cmp -s "$tmp/chroot.out" "$source/test/golden/profile-paranoid/expected.stdout"; then
    ok "paces a stream in an empty root ($(ls "$root" | tr '\n' ' '))"
  else
    fail "the static binary's output in an empty root differs from the golden case"
  fi
else
  fail "the static binary did not run in an empty root: $(cat "$tmp/chroot.err")"
fi

# 2. The plugin archive with Helm 4: verify, install with verification on and no compiler.
if "$helm4" plugin verify --keyring "$tmp/release.pubring.gpg" "$dist/$archive" > "$tmp/verify.out" 2>&1; then
  ok "helm plugin verify: $(grep -m1 'Signed by' "$tmp/verify.out")"
else
  fail "helm plugin verify: $(cat "$tmp/verify.out")"
fi
nocc=$tmp/nocc-bin  # only what the install hook needs; no compiler, cmake or make
mkdir -p "$nocc"
for tool in bash sh env sed cat ls; do ln -s "$(command -v "$tool")" "$nocc/$tool"; done
for tool in g++ c++ gcc cc cmake make; do
  PATH=$nocc command -v "$tool" >/dev/null && fail "the no-compiler PATH still has $tool"
done
install_and_template() {  # name source
  local home=$tmp/helm-$1
  mkdir -p "$home"
  if env $(helm_env "$home") PATH="$nocc" "$helm4" plugin install --keyring "$tmp/release.pubring.gpg" "$2" \
      > "$tmp/$1.install" 2>&1; then
    ok "helm plugin install $1, verified, no compiler on PATH: $(grep -m1 -o 'Installed plugin.*' "$tmp/$1.install")"
  else
    fail "helm plugin install $1: $(cat "$tmp/$1.install")"
    return
  fi
  grep -q "using the packaged binary" "$tmp/$1.install" || fail "$1: the install hook did not use the packaged binary"
  if env $(helm_env "$home") "$helm4" template shop "$source/charts/example" --post-renderer rollout-pace \
      --post-renderer-args --profile=Paranoid --post-renderer-args --timeout=1h > "$tmp/$1.out" 2> "$tmp/$1.err" &&
     grep -q "minReadySeconds: 300" "$tmp/$1.out" && grep -q "maxSurge: 1" "$tmp/$1.out"; then
    ok "$1: helm template charts/example --post-renderer rollout-pace paces the Deployment"
  else
    fail "$1: helm template did not pace: $(head -c 400 "$tmp/$1.err")"
  fi
}
install_and_template file "$dist/$archive"

# Helm hides a post-renderer's stderr (Helm 4 reads a plugin's into a buffer nothing shows; Helm 3
# shows it only on failure): under a real pseudo-terminal (script), what rollout-pace says reaches
# the terminal; without a terminal (setsid: none), stdout is the stream alone and nothing else changes.
tty_checks() {  # name helm-binary home post-renderer
  local name=$1 helm=$2 home=$3 pr=$4 env_line
  env_line="env $(helm_env "$home")"
  script -qec "$env_line $helm template shop $source/charts/example --post-renderer $pr \
      --post-renderer-args --profile=Paranid > $tmp/$name.tty.out 2> $tmp/$name.tty.err" /dev/null > "$tmp/$name.tty" 2>&1
  if grep -q 'did you mean "Paranoid"' "$tmp/$name.tty" && [[ ! -s $tmp/$name.tty.out ]]; then
    ok "$name under a terminal: a misspelt profile's error reaches it ($(grep -c . "$tmp/$name.tty") line)"
  else
    fail "$name under a terminal: the misspelt profile's error did not reach it: $(cat "$tmp/$name.tty")"
  fi
  script -qec "$env_line $helm template shop $source/charts/example --post-renderer $pr \
      --post-renderer-args --profile=Paranoid > $tmp/$name.tty.out 2> $tmp/$name.tty.err" /dev/null > "$tmp/$name.tty" 2>&1
  if grep -q '\[timeout\]' "$tmp/$name.tty" && ! grep -q 'rollout-pace:' "$tmp/$name.tty.out" &&
     grep -q 'minReadySeconds: 300' "$tmp/$name.tty.out"; then
    ok "$name under a terminal: a Paranoid render over Helm's default timeout shows its [timeout] warning"
  else
    fail "$name under a terminal: no [timeout] warning on it: $(cat "$tmp/$name.tty")"
  fi
  ROLLOUT_PACE_TTY=off script -qec "$env_line $helm template shop $source/charts/example --post-renderer $pr \
      --post-renderer-args --profile=Paranoid > $tmp/$name.tty.out 2> $tmp/$name.tty.err" /dev/null > "$tmp/$name.tty" 2>&1
  grep -q 'rollout-pace:' "$tmp/$name.tty" && fail "$name: ROLLOUT_PACE_TTY=off still writes to the terminal"
  if env $(helm_env "$home") setsid -w "$helm" template shop "$source/charts/example" --post-renderer "$pr" \
       --post-renderer-args --profile=Paranoid > "$tmp/$name.notty.out" 2> "$tmp/$name.notty.err" < /dev/null &&
     ! grep -q 'rollout-pace:' "$tmp/$name.notty.out" && grep -q 'minReadySeconds: 300' "$tmp/$name.notty.out"; then
    ok "$name without a terminal: stdout is the paced stream alone"
  else
    fail "$name without a terminal: $(head -c 300 "$tmp/$name.notty.err")"
  fi
}
tty_checks helm4-plugin "$helm4" "$tmp/helm-file" rollout-pace
mkdir -p "$tmp/helm3-static" && tar -xzf "$dist/rollout-pace-$version-linux-amd64.tar.gz" -C "$tmp/helm3-static"
tty_checks helm3-binary "$helm3" "$tmp/helm-3" "$(find "$tmp/helm3-static" -name rollout-pace -type f | head -1)"

# From a URL, as from a release page: the .prov is fetched beside the archive.
release=$tmp/release  # what a release page holds: the artifacts and the public key
mkdir -p "$release"
cp "$dist"/* "$release/"
cp "$tmp/release.pubring.gpg" "$release/rollout-pace-release.pub.gpg"
# Port 0: the system picks a free one, which the server prints.
(cd "$release" && exec python3 -u -m http.server 0 --bind 127.0.0.1) > "$tmp/http.log" 2>&1 &
server=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/^Serving HTTP on 127.0.0.1 port \([0-9]*\).*/\1/p' "$tmp/http.log")
  [[ -n $port ]] && python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/SHA256SUMS')" 2>/dev/null && break
  sleep 0.1
done
[[ -n $port ]] || fail "the HTTP server did not start: $(cat "$tmp/http.log")"
install_and_template url "http://127.0.0.1:$port/$archive"
grep -q "GET /$archive.prov" "$tmp/http.log" || fail "Helm did not fetch the .prov from the server"

# helm pace from the release page: Helm 4's archive verified, Helm 3's checked with gpgv, then each
# plans charts/example (no cluster: a first install).
pace_plans() {  # major helm home
  if env $(helm_env "$3") KUBECONFIG="$tmp/no-kubeconfig" "$2" pace upgrade shop "$source/charts/example" \
      --profile Paranoid --timeout 1h > "$tmp/pace$1.out" 2> "$tmp/pace$1.err" &&
     grep -Eq "^Deployment +shop-drone-api +4 +Paranoid" "$tmp/pace$1.out" && grep -q "planning a first install" "$tmp/pace$1.err"; then
    ok "helm $1: helm pace from the release archive plans charts/example"
  else
    fail "helm $1 pace: $(cat "$tmp/pace$1.out" "$tmp/pace$1.err")"
  fi
}
# Helm 4: installed from the URL, verified with the .prov beside it.
home=$tmp/pace-helm4
mkdir -p "$home"
if env $(helm_env "$home") PATH="$nocc" "$helm4" plugin install --keyring "$tmp/release.pubring.gpg" \
    "http://127.0.0.1:$port/pace-$version.tgz" > "$tmp/pace4.install" 2>&1; then
  grep -q "GET /pace-$version.tgz.prov" "$tmp/http.log" || fail "Helm 4 did not fetch pace's .prov"
  pace_plans 4 "$helm4" "$home"
else
  fail "helm 4 plugin install pace: $(cat "$tmp/pace4.install")"
fi
# Helm 3 verifies no plugin and installs an HTTP archive only when served as gzip (GitHub serves
# octet-stream): the README's way is gpgv, then unpacking into Helm's plugins folder.
if gpgv --keyring "$tmp/release.pubring.gpg" "$dist/pace-$version-helm3.tgz.asc" "$dist/pace-$version-helm3.tgz" \
    > "$tmp/asc.out" 2>&1; then
  ok "gpgv pace-$version-helm3.tgz.asc"
else
  fail "gpgv pace-$version-helm3.tgz.asc: $(cat "$tmp/asc.out")"
fi
home=$tmp/pace-helm3
mkdir -p "$home"
plugins=$(env $(helm_env "$home") "$helm3" env HELM_PLUGINS)
mkdir -p "$plugins/pace" && tar -xzf "$dist/pace-$version-helm3.tgz" -C "$plugins/pace"
env $(helm_env "$home") "$helm3" plugin list 2>&1 | grep -q "^pace" && ok "helm 3 plugin list shows pace" ||
  fail "helm 3 plugin list: $(env $(helm_env "$home") "$helm3" plugin list 2>&1)"
pace_plans 3 "$helm3" "$home"

# 3. Refused: one byte altered, or a .prov signed by another key.
refused() {  # name archive-dir
  local home=$tmp/helm-$1
  mkdir -p "$home"
  if env $(helm_env "$home") "$helm4" plugin install --keyring "$tmp/release.pubring.gpg" "$2/$archive" > "$tmp/$1.install" 2>&1; then
    fail "$1: Helm installed it"
  else
    ok "$1: refused ($(tail -n 1 "$tmp/$1.install" | cut -c1-120))"
  fi
}
mkdir -p "$tmp/altered"
cp "$dist/$archive" "$dist/$archive.prov" "$tmp/altered/"
# One byte flipped (all its bits), in the middle of the archive.
python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 0xFF; open(p, "wb").write(b)' \
  "$tmp/altered/$archive"
cmp -s "$dist/$archive" "$tmp/altered/$archive" && fail "the altered archive is not altered"
refused altered-archive "$tmp/altered"
mkdir -p "$tmp/stranger"
cp "$dist/$archive" "$tmp/stranger/"
stage=$tmp/stranger-stage
mkdir -p "$stage"
tar -xzf "$dist/$archive" -C "$stage"
"$helm4" plugin package --sign --key "rollout-pace stranger" --keyring "$tmp/stranger.secring.gpg" -d "$tmp/stranger-pkg" \
  "$stage/rollout-pace" > /dev/null 2>&1 || fail "could not sign with the stranger's key"
cp "$tmp/stranger-pkg/$archive.prov" "$tmp/stranger/"
refused prov-signed-by-another-key "$tmp/stranger"

# 4. Helm 3 users and pipelines: checksums, the plain archive, the Debian package.
if (cd "$dist" && sha256sum -c SHA256SUMS > "$tmp/sums.out" 2>&1); then ok "sha256sum -c SHA256SUMS"; else fail "sha256sum -c: $(cat "$tmp/sums.out")"; fi
for arch in amd64 arm64; do
  run=()
  [[ $arch == arm64 ]] && run=(qemu-aarch64-static)
  mkdir -p "$tmp/plain-$arch"
  tar -xzf "$dist/rollout-pace-$version-linux-$arch.tar.gz" -C "$tmp/plain-$arch"
  [[ $(ls "$tmp/plain-$arch") == rollout-pace && $("${run[@]}" "$tmp/plain-$arch/rollout-pace" --version) == "rollout-pace $version" ]] &&
    file -b "$tmp/plain-$arch/rollout-pace" | grep -q "$([[ $arch == arm64 ]] && echo "ARM aarch64" || echo "x86-64").*statically linked" &&
    ok "the plain $arch archive holds a static rollout-pace $version" || fail "the plain $arch archive: $(ls "$tmp/plain-$arch")"
  [[ $(dpkg-deb -f "$dist/rollout-pace_${version}_$arch.deb" Version) == "$version" &&
     $(dpkg-deb -f "$dist/rollout-pace_${version}_$arch.deb" Architecture) == "$arch" ]] &&
    dpkg-deb -c "$dist/rollout-pace_${version}_$arch.deb" | grep -q "usr/share/man/man1/rollout-pace.1.gz" &&
    ok "the $arch .deb: its control fields and man page" || fail "the $arch .deb's control fields or man page"
done
# Each architecture's binary in the plugin archive, where plugin.yaml's platformCommand points; the
# arm64 one paces a golden case under qemu as the built one does.
mkdir -p "$tmp/archive"
tar -xzf "$dist/$archive" -C "$tmp/archive"
for arch in amd64 arm64; do
  grep -q "command: \${HELM_PLUGIN_DIR}/bin/linux-$arch/rollout-pace" "$tmp/archive/rollout-pace/plugin.yaml" &&
    [[ -x $tmp/archive/rollout-pace/bin/linux-$arch/rollout-pace ]] &&
    ok "the plugin archive's platformCommand for linux/$arch names its bin/linux-$arch/rollout-pace" ||
    fail "the plugin archive has no linux/$arch entry or binary"
done
qemu-aarch64-static "$tmp/archive/rollout-pace/bin/linux-arm64/rollout-pace" --profile Cautious --timeout 1h \
    < "$source/test/golden/profile-cautious/input.yaml" | cmp -s - "$source/test/golden/profile-cautious/expected.stdout" &&
  ok "the archive's arm64 binary paces like the built one (qemu-aarch64)" || fail "the archive's arm64 binary differs"
# Windows: the plugin archive's entry and binary, and the zip; each rollout-pace.exe paces under wine64.
export WINEPREFIX=$tmp/wine WINEDEBUG=-all
wine_at_exit() { /usr/lib/wine/wineserver64 -k 2>/dev/null; }
grep -q 'command: "${HELM_PLUGIN_DIR}\\\\bin\\\\windows-amd64\\\\rollout-pace.exe"' "$tmp/archive/rollout-pace/plugin.yaml" &&
  [[ -f $tmp/archive/rollout-pace/bin/windows-amd64/rollout-pace.exe ]] &&
  ok "the plugin archive's platformCommand for windows/amd64 names its bin\\windows-amd64\\rollout-pace.exe" ||
  fail "the plugin archive has no windows/amd64 entry or binary"
mkdir -p "$tmp/windows-zip"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
  "$dist/rollout-pace-$version-windows-amd64.zip" "$tmp/windows-zip" || fail "the windows zip does not unpack"
[[ $(ls "$tmp/windows-zip" | tr '\n' ' ') == "LICENSE rollout-pace.exe " ]] &&
  file -b "$tmp/windows-zip/rollout-pace.exe" | grep -q "PE32+ executable (console) x86-64" &&
  ok "the windows zip holds rollout-pace.exe (windows-amd64) and LICENSE" || fail "the windows zip: $(ls "$tmp/windows-zip")"
/usr/lib/wine/wine64 "$tmp/windows-zip/rollout-pace.exe" --version > /dev/null 2>&1  # makes the wine prefix
/usr/lib/wine/wineserver64 -p  # one server for the runs below (see windows_test.sh)
for from in zip archive; do
  exe=$tmp/windows-zip/rollout-pace.exe
  [[ $from == archive ]] && exe=$tmp/archive/rollout-pace/bin/windows-amd64/rollout-pace.exe
  /usr/lib/wine/wine64 "$exe" --profile Cautious --timeout 1h < "$source/test/golden/profile-cautious/input.yaml" 2>/dev/null |
    cmp -s - "$source/test/golden/profile-cautious/expected.stdout" &&
    ok "the $from's rollout-pace.exe paces like the built one (wine64)" || fail "the $from's rollout-pace.exe differs under wine64"
done
deb=$dist/rollout-pace_${version}_amd64.deb
dpkg_root=$tmp/dpkg-root
mkdir -p "$dpkg_root/var/lib/dpkg/info" "$dpkg_root/var/lib/dpkg/updates"
touch "$dpkg_root/var/lib/dpkg/status"
if dpkg --root="$dpkg_root" --force-not-root --force-script-chrootless -i "$deb" > "$tmp/dpkg.out" 2>&1 &&
   [[ $("$dpkg_root/usr/bin/rollout-pace" --version) == "rollout-pace $version" ]] &&
   zcat "$dpkg_root/usr/share/man/man1/rollout-pace.1.gz" | grep -q "post-renderer"; then
  ok "dpkg -i: /usr/bin/rollout-pace $version and its man page"
else
  fail "dpkg -i: $(cat "$tmp/dpkg.out")"
fi
"$dpkg_root/usr/bin/rollout-pace" --profile Cautious --timeout 1h < "$source/test/golden/profile-cautious/input.yaml" |
  cmp -s - "$source/test/golden/profile-cautious/expected.stdout" && ok "the packaged binary paces like the built one" ||
  fail "the packaged binary's output differs"

# 5. The README's install commands, as written, against this release served on 127.0.0.1.
awk '/^## Install$/ { on = 1 } /^\*\*From source\*\*/ { on = 0 }
     on && /^```sh$/ { n++; code = 1; next } code && /^```$/ { code = 0; next }
     code { print > (dir "/block" n ".sh") }' dir="$tmp" README.md
[[ -f $tmp/block1.sh && -f $tmp/block2.sh && -f $tmp/block3.sh && -f $tmp/block4.sh ]] ||
  fail "the README's Install section has not its four command blocks"
readme_root=$tmp/readme-dpkg-root
mkdir -p "$readme_root/var/lib/dpkg/info" "$readme_root/var/lib/dpkg/updates"
touch "$readme_root/var/lib/dpkg/status"
# Block 2 installs helm pace into Helm 4 (its "helm plugin install" line) and Helm 3 (the rest), each
# with a Helm home of its own: one plugins folder for both would break Helm 3 (see the README).
h4="env $(helm_env "$tmp/readme-helm4") \"$helm4\""
h3="env $(helm_env "$tmp/readme-helm3") \"$helm3\""
for n in 1 2 3 4; do
  helm=$([[ $n == 1 ]] && echo "$helm4" || echo "$helm3")
  sed -e "s|^base=https://github.com/rollout-pace/rollout-pace/releases/download/v[0-9.]*$|base=http://127.0.0.1:$port|" \
      -e "s|^helm plugin install \"\$base/pace-|$h4 plugin install \"\$base/pace-|" -e "s|\$(helm env |\$($h3 env |g" \
      -e "s|^helm |\"$helm\" |" -e "s|\./chart |$source/charts/example |" \
      -e "s|^sudo dpkg -i |dpkg --root=$readme_root --force-not-root --force-script-chrootless -i |" \
      -e "s|^rollout-pace |$readme_root/usr/bin/rollout-pace |" "$tmp/block$n.sh" > "$tmp/run$n.sh"
  grep -q "github.com" "$tmp/run$n.sh" && fail "README block $n: the release URL was not replaced"
  mkdir -p "$tmp/work$n"
  if (cd "$tmp/work$n" && env $(helm_env "$tmp/readme-helm") bash -euo pipefail "$tmp/run$n.sh") > "$tmp/readme$n.out" 2>&1; then
    ok "README install block $n runs ($(wc -l < "$tmp/block$n.sh") commands)"
  else
    fail "README install block $n: $(tail -n 5 "$tmp/readme$n.out")"
  fi
done
grep -q "minReadySeconds: 300" "$tmp/readme1.out" || fail "README block 1 did not pace with Paranoid"
for v in 3 4; do
  h=$([[ $v == 3 ]] && echo "$h3" || echo "$h4")
  eval "$h pace upgrade shop $source/charts/example --profile Cautious" 2>/dev/null | grep -Eq "^Deployment +shop-drone-api +4 +Cautious" &&
    ok "README block 2: helm pace runs in Helm $v" || fail "README block 2: helm pace does not run in Helm $v"
done
grep -q "minReadySeconds: 30$" "$tmp/readme3.out" || fail "README block 3 did not pace with Cautious"
grep -q "^rollout-pace $version$" "$tmp/readme4.out" || fail "README block 4 did not print the version"

# 6. The KRM function's image: one OCI image index for linux/amd64 and linux/arm64, in an OCI layout
# archive. skopeo (containers/image) reads it as a registry client would, verifying every digest;
# each platform's filesystem is unpacked from its layers and its entrypoint run on a ResourceList
# (arm64 under qemu), against the built binary's own output. (podman cannot start a container on
# these machines, so kpt fn eval --image cannot run here; docs/kpt-and-kustomize.md.)
image=$dist/rollout-pace-$version-krm-function.oci.tar
[[ -f $image ]] || fail "dist/release has no rollout-pace-$version-krm-function.oci.tar"
grep -q " rollout-pace-$version-krm-function.oci.tar$" "$dist/SHA256SUMS" || fail "SHA256SUMS leaves the image out"
skopeo inspect --raw "oci-archive:$image:$version" > "$tmp/oci-index.json" 2> "$tmp/skopeo.err" ||
  fail "skopeo inspect --raw oci-archive:...:$version: $(cat "$tmp/skopeo.err")"
platforms=$(python3 -c 'import json,sys; i=json.load(open(sys.argv[1]))
print(i["mediaType"], " ".join(sorted(m["platform"]["os"] + "/" + m["platform"]["architecture"] for m in i["manifests"])))' \
  "$tmp/oci-index.json" 2>&1)
[[ $platforms == "application/vnd.oci.image.index.v1+json linux/amd64 linux/arm64" ]] &&
  ok "the image is one OCI index tagged $version: linux/amd64 and linux/arm64" || fail "the image's index: $platforms"
cat > "$tmp/resource-list.yaml" <<'YAML'
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: shop}
  spec:
    replicas: 4
    template:
      metadata: {labels: {app: web}}
      spec:
        containers: [{name: web, image: "web:1.0", readinessProbe: {tcpSocket: {port: 80}}}]
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: pace}
  data: {profile: Paranoid, accept: timeout}
YAML
"$binary" fn < "$tmp/resource-list.yaml" > "$tmp/fn-native.out" 2>&1 || fail "the built binary's fn"
grep -q "minReadySeconds: 300" "$tmp/fn-native.out" || fail "the built binary's fn did not pace with Paranoid"
for arch in amd64 arm64; do
  copy=$tmp/oci-$arch rootfs=$tmp/oci-rootfs-$arch
  if ! skopeo copy -q --override-os linux --override-arch "$arch" "oci-archive:$image:$version" "dir:$copy" \
      2> "$tmp/skopeo.err"; then
    fail "skopeo copy of linux/$arch: $(cat "$tmp/skopeo.err")"
    continue
  fi
  mkdir -p "$rootfs"
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))
print(m["config"]["digest"].split(":")[1]); [print(l["digest"].split(":")[1]) for l in m["layers"]]' \
    "$copy/manifest.json" > "$tmp/oci-blobs"
  config=$copy/$(head -n 1 "$tmp/oci-blobs")
  tail -n +2 "$tmp/oci-blobs" | while read -r layer; do tar -xzf "$copy/$layer" -C "$rootfs"; done
  read -r -a entrypoint <<< "$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))
print(c["architecture"], c["config"]["User"], *c["config"]["Entrypoint"])' "$config")"
  [[ ${entrypoint[0]} == "$arch" && ${entrypoint[1]} == 65534:65534 ]] &&
    ok "linux/$arch: config for $arch, runs as nobody, entrypoint ${entrypoint[*]:2}" ||
    fail "linux/$arch's config: ${entrypoint[*]}"
  file -b "$rootfs${entrypoint[2]}" | grep -q "$([[ $arch == arm64 ]] && echo "ARM aarch64" || echo "x86-64").*statically linked" ||
    fail "linux/$arch's entrypoint is not a static $arch binary: $(file -b "$rootfs${entrypoint[2]}")"
  [[ $(find "$rootfs" -type f | wc -l) == 1 ]] || fail "linux/$arch's filesystem holds more than the binary"
  if [[ $arch == amd64 ]]; then
    run=(chroot --userspec=65534:65534 "$rootfs" "${entrypoint[@]:2}")
  else
    run=(qemu-aarch64-static "$rootfs${entrypoint[2]}" "${entrypoint[@]:3}")
  fi
  "${run[@]}" < "$tmp/resource-list.yaml" > "$tmp/fn-$arch.out" 2>&1
  cmp -s "$tmp/fn-$arch.out" "$tmp/fn-native.out" &&
    ok "linux/$arch: the image's entrypoint paces a ResourceList as the built binary does" ||
    fail "linux/$arch: the image's entrypoint wrote: $(head -c 300 "$tmp/fn-$arch.out")"
done

# 7. One version everywhere.
[[ $(sed -n 's/^version: *//p' plugin.yaml) == "$version" ]] || fail "plugin.yaml's version is not $version"
tar -xzOf "$dist/$archive" rollout-pace/plugin.yaml | grep -q "^version: $version$" || fail "the archive's plugin.yaml"
echo "package: $( ((failed)) && echo FAILED || echo passed)"
exit $failed
