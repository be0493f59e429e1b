/**
 * The one table of settings. Every option is an environment variable named after its key
 * (`maxQueuedExecutions` -> `MAX_QUEUED_EXECUTIONS`), with a description, a default and a yup
 * rule; loadSettings() validates them all at boot and nothing else reads process.env.
 */
import os from 'node:os';
import * as yup from 'yup';

/** `defaultText` documents a default that depends on the machine. */
const describe = (description: string, defaultText?: string) => ({ description, defaultText });

/** A JSON object/array in an environment variable (node selector, tolerations). */
const json = <T extends object>(fallback: T) =>
  yup
    .mixed<T>()
    .transform((value: unknown) => (typeof value === 'string' && value.trim() !== '' ? (JSON.parse(value) as T) : value))
    .default(fallback);

const settingsSchema = yup.object({
  // ---- HTTP ----
  port: yup.number().integer().min(1).max(65535).default(8000).meta(describe('TCP port of the HTTP API.')),
  host: yup.string().default('0.0.0.0').meta(describe('Address the HTTP API listens on.')),
  bodyLimitBytes: yup
    .number()
    .integer()
    .min(1024)
    .default(256 * 1024)
    .meta(describe('Largest request body accepted; larger bodies get 413.')),
  logLevel: yup
    .string()
    .oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .meta(describe('pino log level.')),

  // ---- execution ----
  executor: yup
    .string()
    .oneOf(['local', 'kubernetes'] as const)
    .default('local')
    .meta(describe('Where code runs: "local" (OS sandbox on this host, the embedded default) or "kubernetes" (one Job per execution).')),
  maxConcurrentExecutions: yup
    .number()
    .integer()
    .min(1)
    .default(os.availableParallelism())
    .meta(describe('Executions running at once.', 'the number of CPUs')),
  maxQueuedExecutions: yup
    .number()
    .integer()
    .min(0)
    .default(100)
    .meta(describe('Executions waiting for a slot; beyond that requests get 429.')),
  retryAfterSeconds: yup.number().integer().min(1).default(1).meta(describe('Retry-After sent with 429.')),
  defaultTimeoutSeconds: yup.number().positive().default(5).meta(describe('Timeout when the request names none.')),
  maxTimeoutSeconds: yup.number().positive().default(10).meta(describe('Largest timeout a request may ask for.')),
  memoryLimitBytes: yup
    .number()
    .integer()
    .min(16 * 1024 * 1024)
    .default(128 * 1024 * 1024)
    .meta(describe("Memory a program may use (address space locally, the container's limit on Kubernetes).")),
  outputLimitBytes: yup
    .number()
    .integer()
    .min(1)
    .default(1024 * 1024)
    .meta(describe('Output kept per execution; beyond it the program is stopped.')),
  codeLimitBytes: yup.number().integer().min(1).default(64 * 1024).meta(describe('Largest program, in UTF-8 bytes.')),
  stdinLimitBytes: yup.number().integer().min(0).default(64 * 1024).meta(describe('Largest stdin, in UTF-8 bytes.')),
  shutdownGraceSeconds: yup
    .number()
    .min(0)
    .default(15)
    .meta(describe('On SIGTERM: how long in-flight executions may finish before they are stopped and cleaned up.')),

  // ---- local executor ----
  pythonPath: yup
    .string()
    .default('/usr/bin/python3')
    .meta(describe('Python interpreter for the local executor; under /usr for the bubblewrap sandbox (only /usr is mounted inside).')),
  bwrapPath: yup
    .string()
    .default('bwrap')
    .meta(describe('bubblewrap binary for the local sandbox; a bare name is looked up in the system directories (/usr/local/bin, /usr/bin, /bin...), not $PATH.')),
  sandboxIsolation: yup
    .string()
    .oneOf(['strict', 'development'] as const)
    .default('strict')
    .meta(
      describe(
        'strict: refuse to run code without the full OS sandbox. development: run with whatever isolation is available (stated in /ready and the logs).',
      ),
    ),
  sandboxUid: yup.number().integer().min(1).default(65534).meta(describe('Unprivileged uid for sandboxed programs when the service runs as root.')),
  sandboxGid: yup.number().integer().min(1).default(65534).meta(describe('Unprivileged gid for sandboxed programs when the service runs as root.')),
  sandboxGraceSeconds: yup
    .number()
    .positive()
    .default(2)
    .meta(
      describe(
        "Local executor: time beyond a program's timeout before the whole sandbox is killed (the runner's own start-up and report); the runner normally stops the program itself at the timeout.",
      ),
    ),

  // ---- Kubernetes executor ----
  kubeconfig: yup
    .string()
    .default('')
    .meta(
      describe(
        "Kubeconfig file(s), ':'-separated as in kubectl's KUBECONFIG: merged in order, the first file to set a value wins, missing files are skipped (at least one must exist). Empty: ~/.kube/config if it exists, else the pod's in-cluster service account.",
      ),
    ),
  k8sNamespace: yup.string().default('learnflow').meta(describe('Namespace of the execution Jobs.')),
  k8sRunnerImage: yup
    .string()
    .default('learnflow/code-execution-runner:latest')
    .meta(describe('Sandbox image holding the Python runner.')),
  k8sImagePullPolicy: yup
    .string()
    .oneOf(['Always', 'IfNotPresent', 'Never'] as const)
    .default('IfNotPresent')
    .meta(describe('imagePullPolicy of the sandbox container.')),
  k8sServiceAccount: yup
    .string()
    .default('code-execution-sandbox')
    .meta(describe('Service account of the sandbox pods (no token is mounted).')),
  k8sCpuLimit: yup.string().default('500m').meta(describe('CPU limit (and request) of the sandbox container.')),
  k8sMemoryLimit: yup.string().default('128Mi').meta(describe('Memory limit (and request) of the sandbox container.')),
  k8sStartupAllowanceSeconds: yup
    .number()
    .integer()
    .min(1)
    .default(30)
    .meta(describe('Time a sandbox pod may take to start; activeDeadlineSeconds = timeout + this.')),
  k8sTtlSecondsAfterFinished: yup
    .number()
    .integer()
    .min(0)
    .default(300)
    .meta(describe('How long finished Jobs stay for inspection with kubectl.')),
  k8sTerminationGraceSeconds: yup
    .number()
    .integer()
    .min(0)
    .default(1)
    .meta(describe('terminationGracePeriodSeconds of sandbox pods: learner code may ignore SIGTERM.')),
  k8sRuntimeClassName: yup.string().default('').meta(describe('Optional runtimeClassName (gVisor, Kata) for sandbox pods.')),
  k8sPriorityClassName: yup.string().default('').meta(describe('Optional priorityClassName for sandbox pods.')),
  k8sNodeSelector: json<Record<string, string>>({}).meta(describe('JSON object: nodeSelector of sandbox pods.')),
  k8sTolerations: json<Record<string, unknown>[]>([]).meta(describe('JSON array: tolerations of sandbox pods.')),
  k8sSkipNetworkPolicyCheck: yup
    .boolean()
    .default(false)
    .meta(describe('Development clusters only: run code even without a deny-all NetworkPolicy (logged loudly).')),
});

/** All settings, validated. */
export type Settings = yup.InferType<typeof settingsSchema>;

/** `maxQueuedExecutions` -> `MAX_QUEUED_EXECUTIONS`. */
export function envName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Every option with its variable, default and description (for docs and the chart). */
export function describeSettings(): { key: string; env: string; default: unknown; description: string }[] {
  const fields = settingsSchema.describe().fields;
  return Object.entries(fields).map(([key, field]) => {
    const info = field as { default?: unknown; meta?: { description?: string; defaultText?: string } };
    const fallback = info.meta?.defaultText ?? info.default;
    return { key, env: envName(key), default: fallback, description: info.meta?.description ?? '' };
  });
}

/** Thrown at boot when a setting is invalid; main() prints it and exits. */
export class InvalidSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSettingsError';
  }
}

/**
 * Reads every setting from `env`, applying defaults and checking each rule.
 * Empty strings count as unset.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(settingsSchema.fields)) {
    const value = env[envName(key)];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  try {
    const settings = settingsSchema.validateSync(raw, { abortEarly: false, stripUnknown: true });
    if (settings.defaultTimeoutSeconds > settings.maxTimeoutSeconds) {
      throw new InvalidSettingsError('DEFAULT_TIMEOUT_SECONDS must not exceed MAX_TIMEOUT_SECONDS');
    }
    return settings;
  } catch (error) {
    if (error instanceof yup.ValidationError) {
      const problems = error.inner.length > 0 ? error.inner : [error];
      throw new InvalidSettingsError(problems.map((p) => `${envName(p.path ?? '')}: ${p.message}`).join('; '));
    }
    if (error instanceof SyntaxError) throw new InvalidSettingsError(`invalid JSON in a setting: ${error.message}`);
    throw error;
  }
}
