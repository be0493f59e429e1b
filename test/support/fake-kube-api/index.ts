/** The in-process fake Kubernetes API server for integration tests and the overhead benchmark. */
export { FakeKubeApi, type FakeKubeApiOptions, type RecordedDeletion, type RecordedRequest, type Stall } from './server.ts';
export { RUN_RUNNER, scenario, type ContainerScript, type Faults, type Scenario, type StartScript } from './scenarios.ts';
export { RUNNER_PATH } from './cluster.ts';
export type { KubeObject } from './store.ts';
