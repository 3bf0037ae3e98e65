#!/usr/bin/env bash
# Does pure Swift reach the integer dot-product instructions (issue 23)? Compiles the two probes of
# benchmarks/probes/ (an int16 dot product written with the SIMD conversion initializers, and the same
# with int16 pairs sign-extended inside int32 lanes by shifts) to assembly for several CPU targets and
# counts the instructions that matter: VNNI (vpdpwssd/vpdpbusd), vpmaddwd, vpmulld, and scalar
# sign-extending moves (movsw/movsb: a conversion done lane by lane). Compile only: it runs on any
# x86-64 machine, whatever its own CPU.
#   usage: benchmarks/vnni_probe.sh [CPU...]        (default: znver4 sapphirerapids skylake-avx512 haswell)
# The last part runs a probe on this machine: measure it alone.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ $# -ge 1 ] || set -- znver4 sapphirerapids skylake-avx512 haswell
echo "| probe | -target-cpu | vpdpwssd/vpdpbusd | vpmaddwd | vpmulld/vpmullw | movsw/movsb |"
echo "|---|---|---|---|---|---|"
for probe in probes/int16_dot_conversions.swift probes/int16_dot_shifts.swift; do
  for cpu in "$@"; do
    swiftc -O -parse-as-library -target-cpu "$cpu" -S "$probe" -o "$work/out.s"
    count() { grep -cE "$1" "$work/out.s" || true; }
    echo "| $(basename "$probe" .swift) | $cpu | $(count 'vpdpwssd|vpdpbusd') | $(count 'vpmaddwd') | $(count 'vpmulld|vpmullw') | $(count 'movsw|movsb') |"
  done
done
# Then, on this machine (-target-cpu native): what LLVM makes of an int16 GEMM register tile (the
# instructions in its inner loop, per pair product: 1 vpdpwssd would be the real pair instruction), and
# the tile's throughput against the F32 tile of the shipped kernel (benchmarks/probes/int16_gemm_speed.swift).
echo
swiftc -O -parse-as-library -module-name probe -target-cpu native -S probes/int16_gemm_speed.swift -o "$work/tile.s"
awk '/^\$s5probe7tileS16.*:/,/ret/' "$work/tile.s" > "$work/int16.s"
products=$(grep -o "pairProduct(x" probes/int16_gemm_speed.swift | wc -l)
echo "int16 tile ($products pair products per step), in its code: $(grep -c vpdpwssd "$work/int16.s") vpdpwssd, $(grep -c vpmaddwd "$work/int16.s") vpmaddwd, $(grep -c vpmulld "$work/int16.s") vpmulld, $(grep -cE 'vpand|vpsrld' "$work/int16.s") vpand/vpsrld"
swiftc -O -parse-as-library -target-cpu native probes/int16_gemm_speed.swift -o "$work/speed"
for run in 1 2 3; do "$work/speed"; done
