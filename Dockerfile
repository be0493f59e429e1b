# The Code Execution Service image. The base image is a build argument so that the lab
# (k8slab.local/node:24) and air-gapped users can substitute their own Node.js 24 image:
#   docker build -t learnflow/code-execution-service:dev .
#   bash ../shared/k8slab/image.sh build -t k8slab.local/learnflow:dev --build-arg NODE_IMAGE=k8slab.local/node:24 .
ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Compile, then drop the dev dependencies (TypeScript, mocha, helm's zip...) from node_modules.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund --ignore-scripts

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
# The Python runner: the local executor runs it from here (the Kubernetes executor uses the
# runner image instead); it costs a few kilobytes.
COPY src/runner ./src/runner
# Non-root, and nothing is written at run time: pino logs to stdout, npm is not run at start,
# so the container works with readOnlyRootFilesystem and no writable volume.
USER 65532:65532
EXPOSE 8000
# node is PID 1 and receives SIGTERM itself (no npm or shell in between); main.ts handles it
# by finishing or cleaning up in-flight executions.
CMD ["node", "dist/src/main.js"]
