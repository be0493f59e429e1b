import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'chai';
import {
  createExecuteRequestSchema,
  parseExecuteRequest,
  requestRulesFromSettings,
  type RequestRules,
} from '../../src/http/executeRequest.ts';
import { buildOpenApiDocument, executeRequestJsonSchema } from '../../src/http/openapi.ts';

/** Non-default limits, so that a value copied by hand instead of derived would show. */
const rules: RequestRules = requestRulesFromSettings({
  codeLimitBytes: 100,
  stdinLimitBytes: 20,
  maxTimeoutSeconds: 7,
  defaultTimeoutSeconds: 3,
});

type Json = Record<string, unknown>;

/** The object at `path` inside `value` (fails the test when there is none). */
function at(value: unknown, ...path: string[]): Json {
  let current = value;
  for (const key of path) {
    expect(current, `at ${path.join(' > ')}`).to.be.an('object');
    current = (current as Json)[key];
  }
  expect(current, `at ${path.join(' > ')}`).to.be.an('object');
  return current as Json;
}

function yupAccepts(body: unknown): boolean {
  try {
    parseExecuteRequest(createExecuteRequestSchema(rules), rules, body);
    return true;
  } catch {
    return false;
  }
}

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument(rules, '1.0.0');
  const requestSchema = at(document, 'paths', '/items', 'post', 'requestBody', 'content', 'application/json', 'schema');
  const data = at(requestSchema, 'properties', 'data');

  it('is OpenAPI 3.1 and lists every route under both prefixes', () => {
    expect(document.openapi).to.equal('3.1.0');
    expect(Object.keys(at(document, 'paths'))).to.have.members([
      '/items',
      '/api/execute/items',
      '/health',
      '/api/execute/health',
      '/ready',
      '/api/execute/ready',
      '/metrics',
      '/api/execute/metrics',
      '/openapi.json',
      '/api/execute/openapi.json',
    ]);
  });

  it('states the limits of the settings', () => {
    expect(requestSchema.required).to.deep.equal(['name', 'data']);
    expect(at(requestSchema, 'properties', 'name')).to.include({ type: 'string', minLength: 1, maxLength: 200 });
    expect(data.required).to.deep.equal(['code']);
    expect(at(data, 'properties', 'code')).to.include({ type: 'string', minLength: 1, maxLength: 100, 'x-max-bytes': 100 });
    expect(at(data, 'properties', 'timeout')).to.deep.include({ type: ['number', 'null'], exclusiveMinimum: 0, maximum: 7, default: 3 });
    expect(at(data, 'properties', 'stdin')).to.deep.include({ type: ['string', 'null'], maxLength: 20, 'x-max-bytes': 20 });
  });

  it('documents every status the execute route answers', () => {
    const responses = Object.keys(at(document, 'paths', '/api/execute/items', 'post', 'responses'));
    expect(responses).to.have.members(['200', '400', '408', '413', '415', '422', '429', '500', '502', '503']);
    expect(at(document, 'paths', '/items', 'post', 'responses', '429', 'headers')).to.have.property('Retry-After');
  });

  it('accepts and rejects exactly the bodies the yup schema does (ASCII, where characters = bytes)', () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(executeRequestJsonSchema(rules));
    const ok = { name: 'n', data: { code: 'pass' } };
    const samples: unknown[] = [
      ok,
      { name: 'n', data: { code: 'x'.repeat(100) } },
      { name: 'n', data: { code: 'x'.repeat(101) } },
      { name: 'n', data: { code: '' } },
      { name: 'n', data: { code: 5 } },
      { name: 'n', data: { code: null } },
      { name: 'n', data: {} },
      { name: 'n' },
      { data: { code: 'pass' } },
      { name: '', data: { code: 'pass' } },
      { name: 'n'.repeat(200), data: { code: 'pass' } },
      { name: 'n'.repeat(201), data: { code: 'pass' } },
      { name: 7, data: { code: 'pass' } },
      { name: 'n', data: 'pass' },
      { name: 'n', data: null },
      { name: 'n', data: { code: 'pass', timeout: 7 } },
      { name: 'n', data: { code: 'pass', timeout: 7.0001 } },
      { name: 'n', data: { code: 'pass', timeout: 0 } },
      { name: 'n', data: { code: 'pass', timeout: 0.001 } },
      { name: 'n', data: { code: 'pass', timeout: -3 } },
      { name: 'n', data: { code: 'pass', timeout: null } },
      { name: 'n', data: { code: 'pass', timeout: '5' } },
      { name: 'n', data: { code: 'pass', stdin: 'y'.repeat(20) } },
      { name: 'n', data: { code: 'pass', stdin: 'y'.repeat(21) } },
      { name: 'n', data: { code: 'pass', stdin: null } },
      { name: 'n', data: { code: 'pass', stdin: 3 } },
      { name: 'n', data: { code: 'pass', extra: true }, more: [1] },
      [ok],
      'text',
      null,
    ];
    const disagreements = samples.filter((body) => yupAccepts(body) !== validate(body));
    expect(disagreements).to.deep.equal([]);
    expect(samples.filter((body) => yupAccepts(body))).to.have.length(9);
  });
});
