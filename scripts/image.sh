#!/usr/bin/env bash
# Builds one of the two images: `image.sh service` (top-level Dockerfile) or `image.sh runner`
# (src/runner/Dockerfile). With a Docker daemon: docker build -t $IMAGE / $RUNNER_IMAGE on the
# official base images. Without one (as on the lab machines): the lab's image.sh (buildah) builds
# it on the lab's stand-in base images and loads it into the lab's containerd as $LAB_IMAGE /
# $LAB_RUNNER_IMAGE, ready for pods with imagePullPolicy: Never. IMAGE_BUILDER=docker|lab forces one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
LAB=${LAB:-$(cd "$root/.." && pwd)/shared/k8slab}
IMAGE=${IMAGE:-learnflow/code-execution-service:dev}
RUNNER_IMAGE=${RUNNER_IMAGE:-learnflow/code-execution-runner:dev}
LAB_IMAGE=${LAB_IMAGE:-k8slab.local/learnflow:dev}
LAB_RUNNER_IMAGE=${LAB_RUNNER_IMAGE:-k8slab.local/learnflow-runner:dev}

which=${1:-}
case $which in
  service) dockerfile=Dockerfile context=. image=$IMAGE lab_image=$LAB_IMAGE
           lab_args=(--build-arg NODE_IMAGE=k8slab.local/node:24) ;;
  runner)  dockerfile=src/runner/Dockerfile context=src/runner image=$RUNNER_IMAGE lab_image=$LAB_RUNNER_IMAGE
           lab_args=(--build-arg PYTHON_IMAGE=k8slab.local/python:3.11) ;;
  *) echo "usage: $0 service|runner" >&2; exit 2 ;;
esac
[[ -f $dockerfile ]] || { echo "image.sh: $dockerfile does not exist (yet)" >&2; exit 1; }

builder=${IMAGE_BUILDER:-auto}
if [[ $builder == auto ]]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then builder=docker; else builder=lab; fi
fi
if [[ $builder == docker ]]; then
  echo "image.sh: docker build -t $image -f $dockerfile $context"
  exec docker build -t "$image" -f "$dockerfile" "$context"
fi
if [[ ! -f $LAB/image.sh ]]; then
  echo "image.sh: no Docker daemon and no lab at $LAB (set LAB=/path/to/k8slab)" >&2
  exit 1
fi
echo "image.sh: building $lab_image into the lab with $LAB/image.sh"
start=$SECONDS
bash "$LAB/image.sh" build -f "$dockerfile" -t "$lab_image" "${lab_args[@]}" "$context"
echo "image.sh: $lab_image built and loaded into the lab's containerd in $((SECONDS - start)) s"
