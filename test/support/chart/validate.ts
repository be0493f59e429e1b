/**
 * Validation of rendered Kubernetes objects against the Kubernetes OpenAPI schema, in two passes:
 * - kubernetes-models: types, required fields, formats and enums of the official schema;
 * - unknown fields: the schema allows extra properties, and the API server silently drops them
 *   (a misspelt `readOnlyRootFileSystem` would vanish), so every field is also looked up in
 *   @kubernetes/client-node's generated models (attribute maps from the same OpenAPI document).
 * Kong's CRDs have no published models: checkKongPlugin checks the KongPlugin's structure.
 */
import * as client from '@kubernetes/client-node';
import * as models from 'kubernetes-models';
import type { KubeObject } from '../../../scripts/lib/chart.ts';

interface ModelClass {
  new (data: unknown): { validate(): void };
}

type AttributeMap = readonly { name: string; baseName: string; type: string }[];
interface ClientModelClass {
  getAttributeTypeMap(): AttributeMap;
}

/** `rbac.authorization.k8s.io` -> `rbacAuthorizationK8sIo`, the name kubernetes-models exports the group under. */
function groupExportName(group: string): string {
  return group
    .split('.')
    .map((part, index) => (index === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('');
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The kubernetes-models class for an apiVersion and kind, or undefined when there is none. */
function modelClass(apiVersion: string, kind: string): ModelClass | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  const root = models as unknown as Record<string, Record<string, Record<string, unknown>>>;
  const versions = group === '' ? { v1: root.v1 as unknown as Record<string, unknown> } : root[groupExportName(group)];
  const found = versions?.[version]?.[kind];
  return typeof found === 'function' ? (found as ModelClass) : undefined;
}

/** The client-node model class named like `V1Deployment`, `V2HorizontalPodAutoscaler`. */
function clientModel(typeName: string): ClientModelClass | undefined {
  const found = (client as unknown as Record<string, unknown>)[typeName];
  if (typeof found !== 'function') return undefined;
  const candidate = found as Partial<ClientModelClass>;
  return typeof candidate.getAttributeTypeMap === 'function' ? (candidate as ClientModelClass) : undefined;
}

function clientTypeName(apiVersion: string, kind: string): string {
  const { version } = splitApiVersion(apiVersion);
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

const MAP_TYPE = /^\{ \[key: string\]: (.+); \}$/;

/** Paths of fields that the type does not define, recursively. */
function unknownFields(value: unknown, type: string, path: string): string[] {
  if (value === null || value === undefined) return [];
  if (type.startsWith('Array<') && Array.isArray(value)) {
    const inner = type.slice('Array<'.length, -1);
    return value.flatMap((item, index) => unknownFields(item, inner, `${path}[${index}]`));
  }
  const map = MAP_TYPE.exec(type);
  if (map && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => unknownFields(item, map[1] ?? 'any', `${path}.${key}`));
  }
  const model = clientModel(type);
  if (model === undefined || typeof value !== 'object') return [];
  const attributes = model.getAttributeTypeMap();
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => {
    const attribute = attributes.find((a) => a.baseName === key);
    return attribute === undefined ? [`${path}.${key}`] : unknownFields(item, attribute.type, `${path}.${key}`);
  });
}

/**
 * Problems of one built-in object against the Kubernetes OpenAPI schema; empty when valid.
 * An apiVersion/kind that the schema does not know is a problem too.
 */
export function validateAgainstOpenApi(object: KubeObject): string[] {
  const label = `${object.kind} ${object.metadata.name}`;
  const Model = modelClass(object.apiVersion, object.kind);
  if (Model === undefined) return [`${label}: ${object.apiVersion} ${object.kind} is not in the Kubernetes OpenAPI schema`];
  const problems: string[] = [];
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${label}: ${(error as Error).message}`);
  }
  const typeName = clientTypeName(object.apiVersion, object.kind);
  if (clientModel(typeName) !== undefined) {
    problems.push(...unknownFields(object, typeName, '').map((path) => `${label}: unknown field ${path.slice(1)}`));
  }
  return problems;
}

/** Kong's own plugin schemas, for the fields this chart sets. */
const KONG_PLUGIN_CONFIG: Readonly<Record<string, Readonly<Record<string, (v: unknown) => boolean>>>> = {
  'rate-limiting': {
    second: Number.isInteger,
    minute: Number.isInteger,
    hour: Number.isInteger,
    day: Number.isInteger,
    month: Number.isInteger,
    year: Number.isInteger,
    limit_by: (v) => ['consumer', 'credential', 'ip', 'service', 'header', 'path', 'consumer-group'].includes(v as string),
    policy: (v) => ['local', 'cluster', 'redis'].includes(v as string),
    fault_tolerant: (v) => typeof v === 'boolean',
    hide_client_headers: (v) => typeof v === 'boolean',
  },
  'request-size-limiting': {
    allowed_payload_size: Number.isInteger,
    size_unit: (v) => ['megabytes', 'kilobytes', 'bytes'].includes(v as string),
    require_content_length: (v) => typeof v === 'boolean',
  },
};

/** The top-level fields of a configuration.konghq.com/v1 KongPlugin (Kong's CRD). */
const KONG_PLUGIN_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'plugin', 'config', 'configFrom', 'disabled', 'protocols', 'ordering', 'instance_name', 'consumerRef']);

/** Structural check of a KongPlugin: CRD fields, a known plugin, and its config keys and types. */
export function checkKongPlugin(object: KubeObject): string[] {
  const label = `KongPlugin ${object.metadata.name}`;
  const problems = Object.keys(object)
    .filter((key) => !KONG_PLUGIN_FIELDS.has(key))
    .map((key) => `${label}: unknown field ${key}`);
  if (object.apiVersion !== 'configuration.konghq.com/v1') problems.push(`${label}: apiVersion ${object.apiVersion}`);
  const schema = KONG_PLUGIN_CONFIG[object.plugin as string];
  if (schema === undefined) return [...problems, `${label}: unknown plugin ${String(object.plugin)}`];
  const config = object.config;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return [...problems, `${label}: config is not an object`];
  for (const [key, value] of Object.entries(config)) {
    const check = schema[key];
    if (check === undefined) problems.push(`${label}: unknown config.${key} for ${String(object.plugin)}`);
    else if (!check(value)) problems.push(`${label}: invalid config.${key}: ${JSON.stringify(value)}`);
  }
  return problems;
}
