#!/usr/bin/env bash
# Every loss benchmark of benchmarks/README.md in one go, run from the repository's root on a quiet machine after
# `dotnet build -c Release benchmarks/LossDsl.Benchmarks` (PyTorch from Debian's python3-torch).
# BEFORE=<dir>: the bin folder of an older build (copied away first) to alternate with this one, twice.
set -u
B="dotnet benchmarks/LossDsl.Benchmarks/bin/Release/net10.0/LossDsl.Benchmarks.dll"
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "== start $(date -u +%T) load: $(load) commit $(git rev-parse --short HEAD)"; grep -m1 "model name" /proc/cpuinfo
$B --losses 15
echo "== fixed allocator $(date -u +%T) load: $(load)"
MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=1073741824 $B --losses 15
echo "== pytorch $(date -u +%T) load: $(load)"
/usr/bin/python3 benchmarks/pytorch_losses.py --rounds 15 --terms
echo "== terms $(date -u +%T)"
$B --terms 15
if [ -n "${BEFORE:-}" ]; then
  echo "== before ($BEFORE) / after, alternating $(date -u +%T)"
  for i in 1 2; do
    echo "-- before"; dotnet "$BEFORE/LossDsl.Benchmarks.dll" --losses 10 "generated,generated no_grad"
    echo "-- after"; $B --losses 10 "generated,generated no_grad"
  done
fi
echo "== yardstick $(date -u +%T) load: $(load)"
$B --yardstick 15
echo "== sweep $(date -u +%T)"
for n in 64 128 256 1024; do $B --losses 10 "generated,generated no_grad" $n; done
echo "== step $(date -u +%T)"
$B --step 10 64; $B --step 5 256
echo "== phases $(date -u +%T)"
for l in Focal SymmetricTranspose; do $B --phases $l 20; done
echo "== end $(date -u +%T) load: $(load)"
