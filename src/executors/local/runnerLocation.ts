/**
 * Where the Python runner lives on this host. The one place that derives it.
 *
 * The runner is a data file of the repository (src/runner), never compiled: tsc emits no .py into
 * dist/. So this module finds `<root>/src/runner` from its own location in both layouts:
 * - from source (Node strips types):  <root>/src/executors/local/runnerLocation.ts
 * - compiled:                         <root>/dist/src/executors/local/runnerLocation.js
 * The service image keeps the same shape (/app/dist/src and /app/src/runner, see Dockerfile).
 */
import { fileURLToPath } from 'node:url';

const compiled = import.meta.url.endsWith('.js');

/** The runner's directory (runner.py, runner_core.py, policy.json); bound read-only into the sandbox. */
export const RUNNER_DIRECTORY: string = fileURLToPath(
  new URL(compiled ? '../../../../src/runner/' : '../../runner/', import.meta.url),
).replace(/\/$/, '');

/** The runner script's file name inside RUNNER_DIRECTORY. */
export const RUNNER_SCRIPT = 'runner.py';

/** The module runner.py loads (from its bytecode in __pycache__ when compiled ahead of time). */
export const RUNNER_MODULE = 'runner_core.py';
