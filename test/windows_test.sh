#!/usr/bin/env bash
# The windows-amd64 binary: cross-built static with Debian's mingw-w64 (scripts/cross-windows.sh),
# then every golden case run against rollout-pace.exe under Debian's wine64, exactly as against the
# native one (byte for byte: standard input and output are binary on Windows too). Also: it needs no
# DLL Windows lacks, reads a file named by a Windows path, and says in one line that it runs no other
# program (flux's chart render).
# Usage: windows_test.sh SOURCE_DIR BUILD_DIR
set -u
source "$(dirname "$0")/lib.sh" || exit 2
source=$1
build=$2
cd "$source" || exit 2
exe=$(scripts/cross-windows.sh "$build") || die "scripts/cross-windows.sh"
exe=$(cd "$(dirname "$exe")" && pwd)/rollout-pace.exe
ok "$(file -b "$exe" | cut -d, -f1-2)"
export WINEPREFIX=$tmp/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
at_exit() { /usr/lib/wine/wineserver64 -k 2>/dev/null; }  # no wineserver left behind
printf '#!/bin/sh\nexec /usr/lib/wine/wine64 %q "$@"\n' "$exe" > "$tmp/rollout-pace"
chmod +x "$tmp/rollout-pace"
"$tmp/rollout-pace" --version > "$tmp/first.out" 2> /dev/null  # the first run makes the wine prefix
# One wineserver for the whole test: a program started while the last one's server shuts down can
# find no server (wine's own race), which is not rollout-pace's to fail on.
/usr/lib/wine/wineserver64 -p
[[ $("$tmp/rollout-pace" --version) == "rollout-pace $(project_version)" ]] || die "rollout-pace.exe --version under wine64"
ok "rollout-pace.exe --version under wine64"
dlls=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\tDLL Name: //p' | sort | tr '\n' ' ')
[[ $dlls == *KERNEL32.dll* && $dlls != *libstdc++* && $dlls != *libgcc* && $dlls != *libwinpthread* ]] &&
  ok "static: it imports only Windows' own DLLs ($dlls)" || fail "it imports $dlls"
# A case that fails is run once more and said so (wine64 under a loaded machine has failed to start a
# program once in some thousand runs); a case that fails twice fails the test, and so do more than
# two retries.
passed=0 failed_cases=0 retried=0
for case in test/golden/*/; do
  if bash test/run_golden.sh "$tmp/rollout-pace" "$PWD/$case" > "$tmp/out" 2>&1; then
    passed=$((passed + 1))
  elif retried=$((retried + 1)) && bash test/run_golden.sh "$tmp/rollout-pace" "$PWD/$case" > "$tmp/again" 2>&1; then
    passed=$((passed + 1))
    echo "RETRIED: golden $(basename "$case") failed once under wine64 and passed on the second run; the first:"
    head -60 "$tmp/out"
  else
    failed_cases=$((failed_cases + 1))
    echo "FAIL: golden $(basename "$case") under wine64, twice:"
    head -60 "$tmp/again"
  fi
done
echo "windows under wine64: $passed golden cases passed, $failed_cases failed, $retried retried"
(( passed > 100 && failed_cases == 0 && retried <= 2 )) || failed=1
# A values file named the Windows way (Z: is wine's view of /).
printf 'deploymentStrategy: Paranoid\n' > "$tmp/values.yaml"
"$tmp/rollout-pace" --values "Z:$(tr '/' '\\' <<< "$tmp/values.yaml")" --timeout 1h \
    < test/golden/profile-paranoid/input.yaml > "$tmp/values.out" 2> "$tmp/values.err"
cmp -s "$tmp/values.out" test/golden/profile-paranoid/expected.stdout &&
  ok "--values Z:\\...\\values.yaml: read by its Windows path, paced Paranoid" ||
  fail "--values by a Windows path: $(head -3 "$tmp/values.err")"
# flux renders a chart with helm: the Windows build says in one line that it does not.
printf 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: web, namespace: shop}\nspec:\n  chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: repo}}}\n  values: {deploymentStrategy: Cautious}\n' > "$tmp/hr.yaml"
"$tmp/rollout-pace" flux --chart "$source/charts/example" < "$tmp/hr.yaml" > "$tmp/flux.out" 2> "$tmp/flux.err"
status=$?
[[ $status != 0 && ! -s $tmp/flux.out && $(wc -l < "$tmp/flux.err") == 1 ]] &&
  grep -q "Windows build of rollout-pace runs no other program" "$tmp/flux.err" &&
  ok "flux --chart: one line, exit $status, no output: $(cut -c1-90 "$tmp/flux.err")..." ||
  fail "flux --chart under wine64 (exit $status): $(head -3 "$tmp/flux.err")"
exit $failed
