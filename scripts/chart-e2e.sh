#!/usr/bin/env bash
# `make test-chart-e2e`: the Helm chart on the lab cluster (../shared/k8slab), end to end.
#   1. builds both images from our Dockerfiles with the lab's image.sh
#   2. applies manifests/namespace.yaml, installs the chart into learnflow with the lab values
#   3. waits for the Deployment to be Ready (its /ready checks the NetworkPolicy and the Role)
#   4. `helm test`: hello-world through the service
#   5. one execution through the service, then the README's kubectl commands show its Job
#   6. uninstalls (also on failure)
# Needs a running lab (up.sh) and root (image.sh). SKIP_IMAGES=1 reuses the images already built.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
LAB=${LAB:-$(cd "$root/.." && pwd)/shared/k8slab}
K8SLAB=${K8SLAB:-/opt/k8slab}
export KUBECONFIG=${KUBECONFIG:-$K8SLAB/admin.kubeconfig}
NAMESPACE=${NAMESPACE:-learnflow}
RELEASE=${RELEASE:-code-execution-service}
LAB_IMAGE=${LAB_IMAGE:-k8slab.local/learnflow:dev}
LAB_RUNNER_IMAGE=${LAB_RUNNER_IMAGE:-k8slab.local/learnflow-runner:dev}
VALUES=test/support/lab/values.yaml
# The lab values put the service on the host network, on this port (config.port).
SERVICE_URL=${SERVICE_URL:-http://127.0.0.1:18080}

tools=$(scripts/tools.sh)
helm=$tools/helm
kubectl=$tools/kubectl
started=$SECONDS
step() { printf '\n== [%3ds] %s\n' $((SECONDS - started)) "$*"; }
show() { printf '$ %s\n' "$*" | sed "s#$tools/##g"; "$@"; }
fail() { echo "chart-e2e: FAILED: $*" >&2; exit 1; }

step "lab: $LAB, KUBECONFIG=$KUBECONFIG"
[[ -f $LAB/image.sh ]] || fail "no lab at $LAB (set LAB=)"
"$kubectl" get --raw /readyz >/dev/null 2>&1 || fail "the lab cluster does not answer: run make lab-up (bash $LAB/up.sh)"
show "$kubectl" version 2>/dev/null | grep -i server || true

if [[ ${SKIP_IMAGES:-0} != 1 ]]; then
  step "build the service image and the sandbox image with image.sh"
  IMAGE_BUILDER=lab LAB=$LAB LAB_IMAGE=$LAB_IMAGE scripts/image.sh service
  IMAGE_BUILDER=lab LAB=$LAB LAB_RUNNER_IMAGE=$LAB_RUNNER_IMAGE scripts/image.sh runner
fi

cleanup() {
  local rc=$?
  step "uninstall"
  if (( rc != 0 )); then
    echo "-- diagnostics (exit $rc)"
    "$kubectl" -n "$NAMESPACE" get deploy,pods,jobs -o wide 2>&1 || true
    "$kubectl" -n "$NAMESPACE" describe pods -l "app.kubernetes.io/instance=$RELEASE" 2>&1 | tail -40 || true
    "$kubectl" -n "$NAMESPACE" logs "deployment/$RELEASE" --tail=60 2>&1 || true
  fi
  "$helm" uninstall "$RELEASE" -n "$NAMESPACE" --wait --timeout 2m --ignore-not-found || true
  # helm uninstall keeps test hook pods; the Jobs of our executions would wait for their TTL.
  "$kubectl" -n "$NAMESPACE" delete pods -l "app.kubernetes.io/instance=$RELEASE,app.kubernetes.io/component=test" --ignore-not-found || true
  for id in ${test_id:-} ${execution_id:-} ${drain_id:-}; do
    "$kubectl" -n "$NAMESPACE" delete jobs -l "learnflow.io/execution-id=$id" --ignore-not-found || true
  done
  if (( rc == 0 )); then echo "chart-e2e: PASSED in $((SECONDS - started)) s"; fi
}
trap cleanup EXIT

step "namespace (manifests/namespace.yaml)"
show "$kubectl" apply -f manifests/namespace.yaml
"$helm" uninstall "$RELEASE" -n "$NAMESPACE" --wait --ignore-not-found >/dev/null 2>&1 || true

repo=${LAB_IMAGE%:*} tag=${LAB_IMAGE##*:}
runner_repo=${LAB_RUNNER_IMAGE%:*} runner_tag=${LAB_RUNNER_IMAGE##*:}
step "helm install $RELEASE into $NAMESPACE with $VALUES"
show "$helm" install "$RELEASE" charts/code-execution-service -n "$NAMESPACE" -f "$VALUES" \
  --set "image.repository=$repo,image.tag=$tag,runner.image.repository=$runner_repo,runner.image.tag=$runner_tag" \
  --wait --timeout 3m

step "the Deployment is Ready"
show "$kubectl" -n "$NAMESPACE" rollout status "deployment/$RELEASE" --timeout 60s
show "$kubectl" -n "$NAMESPACE" get deployment,pods,service,ingress,networkpolicy,role,rolebinding,serviceaccount,pdb \
  -l "app.kubernetes.io/instance=$RELEASE"
show curl -sS --max-time 10 "$SERVICE_URL/ready"; echo

step "helm test"
test_log=$(mktemp)
show "$helm" test "$RELEASE" -n "$NAMESPACE" --logs --timeout 2m | tee "$test_log"
test_id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$test_log" | head -1)
rm -f "$test_log"

step "one execution through the service"
request='{"name": "chart-e2e", "data": {"code": "for i in range(3):\n    print(i * i)", "timeout": 5}}'
printf '$ curl -X POST %s/items -d %s\n' "$SERVICE_URL" "$request"
response=$(curl -sS --max-time 60 -H 'Content-Type: application/json' -d "$request" "$SERVICE_URL/items")
echo "$response"
execution_id=$(printf '%s' "$response" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const b=JSON.parse(s);if(b.data?.output!=="0\n1\n4\n"||b.data?.error!==null){console.error("unexpected response");process.exit(1)}process.stdout.write(b.id)})') \
  || fail "the execution did not print 0 1 4"

step "its Job, with the README's kubectl commands"
for _ in $(seq 1 30); do
  outcome=$("$kubectl" -n "$NAMESPACE" get jobs -l "learnflow.io/execution-id=$execution_id" -o jsonpath='{.items[0].metadata.labels.learnflow\.io/outcome}' 2>/dev/null || true)
  [[ -n $outcome ]] && break
  sleep 1
done
show "$kubectl" -n "$NAMESPACE" get jobs -l app.kubernetes.io/name=code-execution-sandbox --sort-by=.metadata.creationTimestamp -L learnflow.io/outcome
show "$kubectl" -n "$NAMESPACE" get jobs -l "learnflow.io/execution-id=$execution_id" -o wide -L learnflow.io/outcome
show "$kubectl" -n "$NAMESPACE" logs -l "learnflow.io/execution-id=$execution_id" --tail=-1
show "$kubectl" -n "$NAMESPACE" describe jobs -l "learnflow.io/execution-id=$execution_id" | sed -n '1,/^Events:/p'
[[ $outcome == ok ]] || fail "the Job of execution $execution_id has outcome label '${outcome}', expected 'ok'"
echo "execution $execution_id: Job labelled learnflow.io/outcome=$outcome"

step "graceful shutdown: SIGTERM reaches node (PID 1) while an execution runs"
pod=$("$kubectl" -n "$NAMESPACE" get pods -l "app.kubernetes.io/instance=$RELEASE,app.kubernetes.io/component=api" -o jsonpath='{.items[0].metadata.name}')
service_log=$(mktemp)
"$kubectl" -n "$NAMESPACE" logs -f "$pod" >"$service_log" 2>&1 &
log_pid=$!
drain_request='{"name": "chart-e2e-drain", "data": {"code": "import time\ntime.sleep(3)\nprint(\"drained\")", "timeout": 10}}'
drain_answer=$(mktemp)
curl -sS --max-time 60 -H 'Content-Type: application/json' -d "$drain_request" "$SERVICE_URL/items" >"$drain_answer" &
curl_pid=$!
sleep 1.5
stop_started=$SECONDS
show "$kubectl" -n "$NAMESPACE" scale "deployment/$RELEASE" --replicas=0
show "$kubectl" -n "$NAMESPACE" wait --for=delete "pod/$pod" --timeout=90s
echo "the service pod was gone $((SECONDS - stop_started)) s after the scale-down (terminationGracePeriodSeconds: 60)"
wait "$curl_pid" || true
wait "$log_pid" 2>/dev/null || true
echo "the execution in flight answered: $(cat "$drain_answer")"
grep -E '"msg":"(shutting down|stopped)"' "$service_log" || true
grep -q '"output":"drained\\n"' "$drain_answer" || fail "the in-flight execution did not finish during the shutdown grace"
grep -q '"msg":"stopped"' "$service_log" || fail "the service did not log its orderly stop after SIGTERM"
drain_id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$drain_answer")
rm -f "$service_log" "$drain_answer"
