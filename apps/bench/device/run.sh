#!/usr/bin/env bash
# Runs the bench on a GPU machine from what pack.sh carried (.device, .gl), with no Node.js or
# registry there: installs the Vulkan loader, unpacks Node and the bench, points Vulkan at the
# NVIDIA driver where the loader finds none, and writes the results (JSON and the docs page) to
# $OUT, or to ./device-results. Argument: the sections (default: the ones with GPU rows, and the
# thread scaling on that machine's cores).
set -euo pipefail
sections=${1:-activations,mlp,matmul,threads}
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel 2>/dev/null || (cd "$(dirname "$0")/../../.." && pwd))
cd "$root"
out=${OUT:-$root/device-results}
mkdir -p "$out"
[ -f .device/bench.tar.xz ] || { echo 'run.sh: .device/bench.tar.xz is missing: run apps/bench/device/pack.sh first and carry .device and .gl' >&2; exit 1; }

if ! ldconfig -p | grep -q libvulkan.so.1; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && [ -f "$nvidia_icd" ]; then export VK_DRIVER_FILES=$nvidia_icd; fi

work=$(mktemp -d)
# Python's tarfile, not xz(1): the machine has python3 and may lack xz.
python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' .device/bench.tar.xz "$work"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"
cd "$work/bench"
"$work/node" dist/cli.js --sections "$sections" --out "$out/results.json" --docs "$out/benchmarks.md" 2>&1 | tee "$out/log.txt"
