#!/usr/bin/env bash
# Packs the bench for a machine with a GPU but no Node.js and no registry (the device tool's):
# Node itself, the built bench with its production dependencies (the webgpu package's Linux x64
# Dawn only), and the Vulkan loader Dawn opens. Writes .device/bench.tar.xz and .gl/*.deb under
# the repository root (both ignored by git); run.sh unpacks and runs them there.
# Needs a built tree (`npx -y pnpm@12.4.2 build`) on Linux x64, and apt-get for the loader.
set -euo pipefail
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"
[ "$(uname -sm)" = 'Linux x86_64' ] || { echo "pack.sh: packs Linux x64 binaries, so it runs on Linux x64 (this is $(uname -sm))" >&2; exit 1; }
[ -f apps/bench/dist/cli.js ] || { echo 'pack.sh: apps/bench/dist/cli.js is missing; run `npx -y pnpm@12.4.2 build` first' >&2; exit 1; }
stage=$(mktemp -d)
# `deploy --prod` leaves the workspace's own install marked production-only, and the next pnpm
# command would prune the dev tools (turbo, vitest) from it: the full install is restored on exit.
restore() {
  rm -rf "$stage"
  npx -y pnpm@12.4.2 install --frozen-lockfile --offline >/dev/null
}
trap restore EXIT

# The bench and its production dependencies as real folders (pnpm's store links resolved inside).
npx -y pnpm@12.4.2 --filter @surrograd/bench deploy --prod --legacy "$stage/bench" >/dev/null
# deploy packs the bench's tracked files; its build output is ignored by git, so copy it.
cp -r apps/bench/dist "$stage/bench/dist"
rm -rf "$stage/bench/src" "$stage/bench/test" "$stage/bench/results"
mkdir -p "$stage/bench/results"
# Dawn for the other platforms (over 100 MB) and source maps have no use there.
for d in "$stage"/bench/node_modules/.pnpm/webgpu@*/node_modules/webgpu/dist/*; do
  [ "$(basename "$d")" = linux-x64 ] || rm -rf "$d"
done
find "$stage/bench" -name '*.map' -delete
cp "$(command -v node)" "$stage/node"

mkdir -p .device
tar -C "$stage" -cJf .device/bench.tar.xz bench node

# Vulkan's loader (libvulkan.so.1), which Dawn opens and the machine may lack.
mkdir -p .gl /tmp/amd64/partial
apt=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
apt-get "${apt[@]}" update >/dev/null
(cd .gl && apt-get "${apt[@]}" download libvulkan1 >/dev/null)

du -ch .device/bench.tar.xz .gl/*.deb | tail -n 1 | sed 's/total/to carry (the limit is 64 MiB)/'
