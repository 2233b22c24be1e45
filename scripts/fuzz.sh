#!/usr/bin/env bash
# Builds the fuzz targets (Fuzz/: libFuzzer with the address sanitizer) and runs each on the
# corpus kept in Fuzz/Corpus/TARGET.
# Usage: scripts/fuzz.sh [--ci] [--seconds N] [--runs N] [TARGET ...]
#   default: each target for 600 s; the new inputs that add coverage are merged into the kept
#            corpus (commit them), and any crash, leak or timeout is kept in $RELAY_FUZZ_OUT
#   --ci:    each target for 10 s on a copy of the kept corpus (what scripts/test.sh runs)
#   --runs:  stop each target after N executions instead (e.g. --runs 10000000)
# A failing input reproduces with: $RELAY_FUZZ_SCRATCH/debug/TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

targets_all=(FuzzRtp FuzzRtcp FuzzStun FuzzSdp FuzzPayloads FuzzDatagrams FuzzSignaling)
seconds=600
runs=""
ci=false
targets=()
while [ "$#" -gt 0 ]; do
    case "$1" in
        --ci) ci=true; seconds=10 ;;
        --seconds) seconds="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1") ;;
    esac
    shift
done
[ "${#targets[@]}" -gt 0 ] || targets=("${targets_all[@]}")

scratch="${RELAY_FUZZ_SCRATCH:-${RELAY_SCRATCH}-fuzz}"
out="${RELAY_FUZZ_OUT:-$scratch/findings}"
mkdir -p "$out"
# lld: gold cannot link libFuzzer's runtime with SwiftPM's renamed main.
(cd Fuzz && swift build --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld 2>&1 \
    | grep -v "Cannot export local symbol" | grep -E "error|warning: |Build complete" || true)

limits=(-max_len=4096 -timeout=10 -rss_limit_mb=1024 -malloc_limit_mb=256 -print_final_stats=1)
if [ -n "$runs" ]; then limits+=(-runs="$runs"); else limits+=(-max_total_time="$seconds"); fi
failed=()
for target in "${targets[@]}"; do
    binary="$scratch/debug/$target"
    kept="Fuzz/Corpus/$target"
    [ -x "$binary" ] || { echo "fuzz: $target was not built" >&2; exit 1; }
    work=$(mktemp -d)
    echo "fuzz: $target (${runs:+$runs runs}${runs:-$seconds s}) on $(ls "$kept" | wc -l) kept inputs"
    # New inputs go to the scratch folder first; the kept corpus is only read.
    if "$binary" "${limits[@]}" -artifact_prefix="$out/$target-" "$work" "$kept" >"$out/$target.log" 2>&1; then
        grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$out/$target.log" | tr '\n' ' '; echo
        if ! $ci; then
            "$binary" -merge=1 "$kept" "$work" >>"$out/$target.log" 2>&1
            echo "fuzz: $target: the kept corpus has $(ls "$kept" | wc -l) inputs"
        fi
    else
        echo "fuzz: $target FAILED; the log is $out/$target.log, the input $(ls -t "$out"/"$target"-* 2>/dev/null | head -1)"
        grep -E "ERROR|SUMMARY|Fatal error|==[0-9]+==" "$out/$target.log" | head -5
        failed+=("$target")
    fi
    rm -rf "$work"
done
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: failed: ${failed[*]}"
    exit 1
fi
echo "fuzz: every target ran clean"
