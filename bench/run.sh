#!/usr/bin/env bash
# The benchmark (a report, not a test): rollout-pace against `kubectl kustomize` doing the same
# patch through the post-renderer wrapper Helm's documentation describes, and against `cat` (the
# floor), on generated Helm streams of 40, 400, 4 000 and 40 000 documents, a CRD-heavy stream of
# 50 MB (whose descriptions mention "kind: Deployment"), a mixed stream of 10 000 each of three
# workload kinds and ConfigMaps (alone, and as its own --previous), one Deployment with 20 000 and 40 000
# anchors and aliases, and the files of test/corpus. Prints Markdown on stdout; progress goes to stderr.
#   bench/run.sh > docs/benchmarks.md          (about 15 minutes; kustomize is the slow part)
#   RUNS=3 KUSTOMIZE_RUNS=1 bench/run.sh       (fewer runs)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-7}
kruns=${KUSTOMIZE_RUNS:-3}
scripts/deps.sh build >&2
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j "$(nproc)" >/dev/null
kubectl=$(scripts/fetch-tools.sh | sed -n 's/^kubectl=//p')
bin=build-bench/rollout-pace
gen=build-bench/bench/bench_generate
measure=build-bench/bench/bench_measure
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The kustomize post-renderer wrapper from Helm's docs: save stdin, build with a patch.
mkdir -p "$work/kz"
cat > "$work/kz/kustomization.yaml" <<'YAML'
resources:
- all.yaml
patches:
- target:
    kind: Deployment
  patch: |
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: not-used
    spec:
      minReadySeconds: 30
      strategy:
        type: RollingUpdate
        rollingUpdate:
          maxSurge: "25%"
          maxUnavailable: 0
YAML
cat > "$work/kustomize.sh" <<SH
#!/usr/bin/env bash
cat <&0 > "$work/kz/all.yaml"
exec "$kubectl" kustomize "$work/kz"
SH
chmod +x "$work/kustomize.sh"

for n in 40 400 4000 40000; do "$gen" helm "$n" > "$work/helm-$n.yaml"; done
"$gen" crd 50 > "$work/crd-50mb.yaml"
for n in 20000 40000; do "$gen" anchors "$n" > "$work/anchors-$n.yaml"; done
"$gen" mixed 10000 > "$work/mixed-40000.yaml"

row() {  # name file kustomize-runs [rollout-pace's flags; default --profile Cautious]
  local name=$1 file=$2 kr=$3
  local -a flags=(--profile Cautious)
  (( $# > 3 )) && flags=("${@:4}")
  local size docs rp c kz
  size=$(stat -c %s "$file")
  docs=$(grep -c '^---' "$file" || true)
  echo "bench: $name" >&2
  read -r rp_med rp_min rp_max rp_rss rp_code < <("$measure" "$runs" "$file" "$bin" "${flags[@]}")
  read -r cat_med _ _ _ _ < <("$measure" "$runs" "$file" cat)
  local kz_cell="not run" ratio_kz="—"
  if (( kr > 0 )); then
    read -r kz_med _ _ kz_rss kz_code < <("$measure" "$kr" "$file" "$work/kustomize.sh")
    if [[ $kz_code == 0 ]]; then
      kz_cell="$kz_med s, $kz_rss MiB"
      ratio_kz=$(awk -v k="$kz_med" -v r="$rp_med" 'BEGIN { printf "%.0f×", k / r }')
    else
      kz_cell="failed (exit $kz_code)"
    fi
  fi
  local mib ratio_cat mem_limit
  mib=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')
  ratio_cat=$(awk -v c="$cat_med" -v r="$rp_med" 'BEGIN { printf "%.1f×", r / c }')
  # The bound: 3x the inputs (the stream, and --previous's file when given) plus 32 MB.
  local inputs=$size
  [[ " ${flags[*]} " == *" --previous "* ]] && inputs=$((size * 2))
  mem_limit=$(awk -v s="$inputs" 'BEGIN { printf "%.0f", 3 * s / 1048576 + 32 }')
  echo "| $name | $docs | $mib MB | $rp_med s ($rp_min–$rp_max) | $rp_rss MiB (limit $mem_limit) | $cat_med s | $ratio_cat | $kz_cell | $ratio_kz | $rp_code |"
  echo "$name $rp_med" >> "$work/times"
}

echo "# rollout-pace benchmarks"
echo
echo "Recorded $(date -u +%Y-%m-%d) with \`bench/run.sh\` (RUNS=$runs, KUSTOMIZE_RUNS=$kruns): medians of"
echo "several runs, wall time of the whole process with the stream on stdin and stdout to /dev/null."
echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
echo "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory, Linux $(uname -r);"
echo "$("$bin" --version), $("$kubectl" version --client 2>/dev/null | tr '\n' ' ')."
echo
echo "| stream | \`---\` lines | size | rollout-pace (min–max) | rollout-pace peak memory | cat | rollout-pace ÷ cat | kubectl kustomize (peak memory) | kustomize ÷ rollout-pace | exit |"
echo "|---|---|---|---|---|---|---|---|---|---|"
row "Helm, 40 documents" "$work/helm-40.yaml" "$kruns"
row "Helm, 400 documents" "$work/helm-400.yaml" "$kruns"
row "Helm, 4 000 documents" "$work/helm-4000.yaml" "$kruns"
row "Helm, 40 000 documents" "$work/helm-40000.yaml" 0
row "Mixed, 10 000 each of Deployment, StatefulSet, DaemonSet, ConfigMap" "$work/mixed-40000.yaml" 0
row "Mixed, as its own --previous (--environment PROD)" "$work/mixed-40000.yaml" 0 \
  --previous "$work/mixed-40000.yaml" --environment PROD
row "CRD-heavy, 50 MB" "$work/crd-50mb.yaml" 1
row "20 000 anchors, 20 000 aliases" "$work/anchors-20000.yaml" 0
row "40 000 anchors, 40 000 aliases" "$work/anchors-40000.yaml" 0
corpus_total=0
if [[ -d test/corpus ]]; then
  for f in test/corpus/*.yaml; do
    row "corpus: $(basename "$f")" "$f" 1
  done
fi
echo
t400=$(awk '$1 == "Helm," && $2 == "400" { print $4 }' "$work/times")
t4000=$(awk '$1 == "Helm," && $2 == "4" { print $5 }' "$work/times")
t40000=$(awk '$1 == "Helm," && $2 == "40" && $3 == "000" { print $5 }' "$work/times")
echo "Growth with size (Helm streams, 10× the documents each step): 400 → 4 000: $(awk -v a="$t400" -v b="$t4000" 'BEGIN { printf "%.1f×", b / a }') the time;"
echo "4 000 → 40 000: $(awk -v a="$t4000" -v b="$t40000" 'BEGIN { printf "%.1f×", b / a }') the time."
echo
echo "How much is reading YAML: CPU seconds of rewrite() on one thread; of yaml-cpp's YAML::Load on the"
echo "documents it parses, as a yardstick (rewrite() reads with read_lite every document that reader"
echo "accepts and leaves yaml-cpp the rest); and of read_lite on the documents of the output (the reader"
echo "that reads each rewrite back for the check):"
echo
echo "| stream | rewrite() CPU | YAML::Load CPU (yardstick) | YAML::Load ÷ rewrite() | read_lite CPU (check) | read_lite accepted | bytes parsed |"
echo "|---|---|---|---|---|---|---|"
for s in helm-4000 helm-40000 crd-50mb; do
  read -r total yaml lite accepted parsed code < <(build-bench/bench/bench_yaml_share "$work/$s.yaml")
  echo "| $s | $total s | $yaml s | $(awk -v a="$yaml" -v b="$total" 'BEGIN { printf "%.1f×", a / b }') | $lite s | $accepted | $parsed |"
done
