/**
 * Every setting of src/config/settings.ts is reachable from the chart's values, reaches the
 * container under the variable the service reads, and is read back by loadSettings as set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1EnvVar } from '@kubernetes/client-node';
import { expect } from 'chai';
import { parse } from 'yaml';
import { describeSettings, envName, loadSettings, type Settings } from '../../src/config/settings.ts';
import { CHART_DIR, parseManifests, renderChart, tryRenderChart, type RenderOptions } from '../../scripts/lib/chart.ts';

interface SchemaProperty {
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  $ref?: string;
}

const defaultValues = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as { config: Record<string, unknown>; terminationGracePeriodSeconds: number };
const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as {
  properties: { config: { properties: Record<string, SchemaProperty> } };
  definitions: Record<string, SchemaProperty>;
};
const configSchema = schema.properties.config.properties;

/** Settings the chart derives from the release (namespace, images, service account). */
const CHART_CHOSEN: Readonly<Record<string, unknown>> = { executor: 'kubernetes' };

function types(property: SchemaProperty): string[] {
  const resolved = property.$ref === undefined ? property : (schema.definitions[property.$ref.replace('#/definitions/', '')] ?? {});
  const type = resolved.type ?? [];
  return Array.isArray(type) ? type : [type];
}

/** A value for `key` that differs from the default and that the values schema accepts. */
function sampleValue(key: string): unknown {
  const property = configSchema[key] ?? {};
  const fallback = describeSettings().find((s) => s.key === key)?.default;
  if (property.enum !== undefined) return property.enum.find((v) => v !== null && v !== (defaultValues.config[key] ?? fallback));
  const kinds = types(property);
  if (kinds.includes('integer')) return (property.minimum ?? 0) + 7;
  if (kinds.includes('number')) return 3.5;
  if (kinds.includes('boolean')) return true;
  if (kinds.includes('object')) return { [`learnflow.io/${key.toLowerCase()}`]: 'yes' };
  if (kinds.includes('array')) return [{ key: key.toLowerCase(), operator: 'Exists', effect: 'NoSchedule' }];
  return `sample-${key}`;
}

function renderedEnv(options: RenderOptions): Record<string, string> {
  const deployment = parseManifests(renderChart(options)).find((o) => o.kind === 'Deployment');
  const container = (deployment?.spec as { template: { spec: { containers: { env: V1EnvVar[] }[] } } }).template.spec.containers[0];
  const entries = (container?.env ?? []).map((e) => [e.name, e.value ?? ''] as const);
  expect(new Set(entries.map(([name]) => name)).size, 'env names are unique').to.equal(entries.length);
  return Object.fromEntries(entries);
}

describe('chart: every setting reachable from values', () => {
  const settings = describeSettings();

  it('lists every setting under config in values.yaml and values.schema.json, and nothing else', () => {
    const keys = settings.map((s) => s.key).sort();
    expect(Object.keys(defaultValues.config).sort()).to.deep.equal(keys);
    expect(Object.keys(configSchema).sort()).to.deep.equal(keys);
  });

  it("keeps the service's own defaults where values.yaml spells one out", () => {
    for (const { key, default: fallback } of settings) {
      const value = defaultValues.config[key];
      if (value === null || key in CHART_CHOSEN) continue;
      expect(value, key).to.deep.equal(fallback);
    }
    for (const [key, value] of Object.entries(CHART_CHOSEN)) expect(defaultValues.config[key], key).to.equal(value);
  });

  it('turns a value for each setting into its env var, which loadSettings reads back as set', () => {
    const config = Object.fromEntries(settings.map(({ key }) => [key, sampleValue(key)]));
    const env = renderedEnv({ values: { config } });
    for (const { key, env: name } of settings) expect(env, `${key} -> ${name}`).to.have.property(name);
    const loaded = loadSettings(env) as unknown as Record<string, unknown>;
    for (const { key } of settings) expect(loaded[key], key).to.deep.equal(config[key]);
  });

  it('names each variable as settings.ts does (UPPER_SNAKE of the key)', () => {
    const env = renderedEnv({ values: { config: { k8sTtlSecondsAfterFinished: 42, maxQueuedExecutions: 3 } } });
    expect(env[envName('k8sTtlSecondsAfterFinished')]).to.equal('42');
    expect(env.K8S_TTL_SECONDS_AFTER_FINISHED).to.equal('42');
    expect(env.MAX_QUEUED_EXECUTIONS).to.equal('3');
  });

  it('derives the Kubernetes settings from the release when left null, and they load', () => {
    const env = renderedEnv({ release: 'exec', namespace: 'learnflow-staging', values: { runner: { image: { repository: 'reg.example/runner', tag: '9.9', pullPolicy: 'Always' } } } });
    const loaded: Settings = loadSettings(env);
    expect(loaded.executor).to.equal('kubernetes');
    expect(loaded.k8sNamespace).to.equal('learnflow-staging');
    expect(loaded.k8sRunnerImage).to.equal('reg.example/runner:9.9');
    expect(loaded.k8sImagePullPolicy).to.equal('Always');
    expect(loaded.k8sServiceAccount).to.equal('exec-code-execution-service-sandbox');
    expect(loaded.port).to.equal(8000);
    // null settings stay unset, so the service keeps its own default
    expect(env).to.not.have.property('LOG_LEVEL');
    expect(loaded.logLevel).to.equal('info');
  });

  it('makes the termination grace period longer than the longest execution plus the shutdown grace', () => {
    const loaded = loadSettings(renderedEnv({}));
    const longest = loaded.maxTimeoutSeconds + loaded.k8sStartupAllowanceSeconds + loaded.shutdownGraceSeconds;
    expect(defaultValues.terminationGracePeriodSeconds).to.be.greaterThan(longest);
    const tooShort = tryRenderChart({ values: { config: { maxTimeoutSeconds: 40 } } });
    expect(tooShort.status).to.not.equal(0);
    expect(tooShort.stderr).to.include('terminationGracePeriodSeconds (60) must exceed maxTimeoutSeconds + k8sStartupAllowanceSeconds + shutdownGraceSeconds (85)');
  });
});
