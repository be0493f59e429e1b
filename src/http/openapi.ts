/**
 * The OpenAPI 3.1 document served at /openapi.json. Its limits come from the same RequestRules as
 * the yup schema (executeRequest.ts), so the document and the validation cannot drift apart.
 */
import type { RequestRules } from './executeRequest.ts';

type JsonObject = Record<string, unknown>;

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

const jsonContent = (schema: JsonObject): JsonObject => ({ 'application/json': { schema } });

const problem = (description: string): JsonObject => ({ description, content: jsonContent(ref('Problem')) });

/** The JSON Schema of the request body (also used by the agreement test). */
export function executeRequestJsonSchema(rules: RequestRules): JsonObject {
  return {
    type: 'object',
    description: 'Unknown fields are ignored. Values are never coerced: a wrong type is a 422.',
    required: ['name', 'data'],
    properties: {
      name: {
        type: 'string',
        minLength: 1,
        maxLength: rules.nameMaxLength,
        description: 'Label of the request, echoed back.',
        examples: ['execution-request'],
      },
      data: {
        type: 'object',
        required: ['code'],
        properties: {
          code: {
            type: 'string',
            minLength: 1,
            // JSON Schema counts characters; the real rule counts UTF-8 bytes (x-max-bytes).
            maxLength: rules.codeMaxBytes,
            'x-max-bytes': rules.codeMaxBytes,
            description: `Python 3 source, at most ${rules.codeMaxBytes} bytes of UTF-8.`,
            examples: ["print('Hello, World!')"],
          },
          timeout: {
            type: ['number', 'null'],
            exclusiveMinimum: 0,
            maximum: rules.maxTimeoutSeconds,
            default: rules.defaultTimeoutSeconds,
            description: 'Wall-clock budget in seconds; null or absent means the default.',
          },
          stdin: {
            type: ['string', 'null'],
            maxLength: rules.stdinMaxBytes,
            'x-max-bytes': rules.stdinMaxBytes,
            description: `What input() reads, at most ${rules.stdinMaxBytes} bytes of UTF-8; null or absent means empty.`,
          },
        },
      },
    },
  };
}

const executionResultSchema: JsonObject = {
  type: 'object',
  required: ['id', 'name', 'data'],
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,39}$', description: 'Unique; names the Kubernetes Job.' },
    name: { type: 'string' },
    data: {
      type: 'object',
      required: ['output', 'error', 'execution_time_ms', 'status'],
      additionalProperties: true,
      properties: {
        output: { type: 'string', description: 'stdout and stderr as a console shows them.' },
        error: {
          type: ['string', 'null'],
          description: "Last line of the traceback, e.g. \"NameError: name 'x' is not defined\", or null.",
        },
        execution_time_ms: { type: 'integer', minimum: 0, description: "The learner code's own run time." },
        status: { type: 'string', enum: ['ok', 'error', 'memory', 'output_limit'] },
      },
    },
  },
};

const schemas: JsonObject = {
  ExecutionResult: executionResultSchema,
  Problem: { type: 'object', required: ['detail'], properties: { detail: { type: 'string' } } },
  Timeout: {
    type: 'object',
    required: ['detail', 'id'],
    properties: { detail: { type: 'string', examples: ['Execution timed out after 5 seconds'] }, id: { type: 'string' } },
  },
  Health: {
    type: 'object',
    properties: { status: { const: 'healthy' }, service: { const: 'code-execution-service' } },
  },
  Ready: {
    type: 'object',
    required: ['status', 'executor'],
    additionalProperties: true,
    properties: { status: { const: 'ready' }, executor: { type: 'string' }, reason: { type: 'string' } },
  },
};

function executeOperation(rules: RequestRules, operationId: string): JsonObject {
  return {
    operationId,
    summary: 'Run a Python program in a sandbox',
    requestBody: { required: true, content: jsonContent(executeRequestJsonSchema(rules)) },
    responses: {
      '200': { description: 'The program ran (runtime errors included).', content: jsonContent(ref('ExecutionResult')) },
      '400': problem('Malformed JSON.'),
      '408': { description: 'The program ran past its timeout.', content: jsonContent(ref('Timeout')) },
      '413': problem('Request body too large.'),
      '415': problem('Content-Type is not application/json.'),
      '422': problem('A field breaks a rule; the detail names the field and the rule.'),
      '429': {
        description: 'Too many executions running and queued.',
        headers: { 'Retry-After': { schema: { type: 'integer' } } },
        content: jsonContent(ref('Problem')),
      },
      '500': problem('Unexpected error.'),
      '502': problem('The execution was stopped from outside (sandbox deleted, shutdown).'),
      '503': problem('The executor cannot run code now; the detail says why.'),
    },
  };
}

function probeOperation(operationId: string, summary: string, schemaName: string): JsonObject {
  return { operationId, summary, responses: { '200': { description: summary, content: jsonContent(ref(schemaName)) } } };
}

/** Builds the document for the given request rules. */
export function buildOpenApiDocument(rules: RequestRules, version: string): JsonObject {
  const health = { get: probeOperation('getHealth', 'Liveness', 'Health') };
  const ready = {
    get: {
      ...probeOperation('getReadiness', 'Readiness: whether the executor can run code', 'Ready'),
      responses: {
        '200': { description: 'Ready', content: jsonContent(ref('Ready')) },
        '503': problem('Not ready; the detail says why.'),
      },
    },
  };
  const metrics = { get: { operationId: 'getMetrics', summary: 'Prometheus metrics', responses: { '200': { description: 'Prometheus text format' } } } };
  const openapi = { get: { operationId: 'getOpenApi', summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } };
  const routes: [string, JsonObject][] = [
    ['/items', { post: executeOperation(rules, 'executeItem') }],
    ['/health', health],
    ['/ready', ready],
    ['/metrics', metrics],
    ['/openapi.json', openapi],
  ];
  const paths: JsonObject = {};
  for (const [path, item] of routes) paths[path] = item;
  // The same routes behind Kong's prefix (operation ids must stay unique).
  for (const [path, item] of routes) paths[`/api/execute${path}`] = withPrefixedOperationId(item);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Code Execution Service',
      version,
      description: 'Runs Python snippets in a sandbox. Behind Kong the paths are prefixed with /api/execute.',
    },
    paths,
    components: { schemas },
  };
}

function withPrefixedOperationId(item: JsonObject): JsonObject {
  const copy: JsonObject = {};
  for (const [method, operation] of Object.entries(item)) {
    const { operationId } = operation as { operationId?: string };
    copy[method] = operationId === undefined ? operation : { ...(operation as JsonObject), operationId: `${operationId}ViaGateway` };
  }
  return copy;
}
