import { expect } from 'chai';
import { HttpProblem } from '../../src/http/problems.ts';
import {
  createExecuteRequestSchema,
  parseExecuteRequest,
  requestRulesFromSettings,
  type ExecuteRequestBody,
  type RequestRules,
} from '../../src/http/executeRequest.ts';

const rules: RequestRules = requestRulesFromSettings({
  codeLimitBytes: 64 * 1024,
  stdinLimitBytes: 64 * 1024,
  maxTimeoutSeconds: 10,
  defaultTimeoutSeconds: 5,
});
const schema = createExecuteRequestSchema(rules);

function parse(body: unknown): ExecuteRequestBody {
  return parseExecuteRequest(schema, rules, body);
}

/** The 422 detail for `body`. */
function detailOf(body: unknown): string {
  try {
    parse(body);
  } catch (error) {
    expect(error).to.be.instanceOf(HttpProblem);
    expect((error as HttpProblem).status).to.equal(422);
    return (error as HttpProblem).message;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be rejected`);
}

const withData = (data: Record<string, unknown>): unknown => ({ name: 'test', data: { code: 'print(1)', ...data } });

describe('execute request schema', () => {
  describe('accepts', () => {
    it('the spec request and applies no default when the timeout is given', () => {
      expect(parse({ name: 'execution-request', data: { code: "print('Hello, World!')", timeout: 5 } })).to.deep.equal({
        name: 'execution-request',
        code: "print('Hello, World!')",
        stdin: '',
        timeoutSeconds: 5,
      });
    });

    it('a request without timeout or stdin: default timeout, empty stdin', () => {
      expect(parse({ name: 'test', data: { code: 'for i in range(5):\n    print(i)' } })).to.deep.equal({
        name: 'test',
        code: 'for i in range(5):\n    print(i)',
        stdin: '',
        timeoutSeconds: 5,
      });
    });

    it('null timeout and stdin as "not given"', () => {
      expect(parse(withData({ timeout: null, stdin: null }))).to.include({ timeoutSeconds: 5, stdin: '' });
    });

    it('stdin, fractional timeouts and the maximum timeout', () => {
      expect(parse(withData({ stdin: 'Alice\n', timeout: 0.5 }))).to.include({ stdin: 'Alice\n', timeoutSeconds: 0.5 });
      expect(parse(withData({ timeout: 10 }))).to.include({ timeoutSeconds: 10 });
    });

    it('unknown fields, which are ignored', () => {
      expect(parse({ name: 'n', extra: 1, data: { code: 'pass', language: 'python' } })).to.deep.equal({
        name: 'n',
        code: 'pass',
        stdin: '',
        timeoutSeconds: 5,
      });
    });

    it('code and stdin of exactly the byte limit, and a name of 200 characters', () => {
      const code = `#${'x'.repeat(64 * 1024 - 1)}`;
      expect(parse({ name: 'n'.repeat(200), data: { code, stdin: 'y'.repeat(64 * 1024) } }).code).to.equal(code);
    });
  });

  describe('rejects with 422 naming the field and the rule', () => {
    const cases: [string, unknown, string][] = [
      ['a body that is not an object', ['x'], 'request body must be a JSON object'],
      ['a null body', null, 'request body must be a JSON object'],
      ['a missing name', { data: { code: 'pass' } }, 'name is required'],
      ['an empty name', { name: '', data: { code: 'pass' } }, 'name must not be empty'],
      ['a name of 201 characters', { name: 'n'.repeat(201), data: { code: 'pass' } }, 'name must be at most 200 characters'],
      ['a name that is a number', { name: 5, data: { code: 'pass' } }, 'name must be a string'],
      ['a null name', { name: null, data: { code: 'pass' } }, 'name must be a string'],
      ['a missing data', { name: 'n' }, 'data is required'],
      ['a data that is a string', { name: 'n', data: 'print(1)' }, 'data must be an object'],
      ['a null data', { name: 'n', data: null }, 'data must be an object'],
      ['a missing code', { name: 'n', data: {} }, 'data.code is required'],
      ['an empty code', withData({ code: '' }), 'data.code must not be empty'],
      ['a code that is a list', withData({ code: ['print(1)'] }), 'data.code must be a string'],
      ['a null code', withData({ code: null }), 'data.code must be a string'],
      ['a timeout of 0', withData({ timeout: 0 }), 'data.timeout must be greater than 0'],
      ['a negative timeout', withData({ timeout: -1 }), 'data.timeout must be greater than 0'],
      ['a timeout of 11', withData({ timeout: 11 }), 'data.timeout must be less than or equal to 10'],
      ['a timeout just above 10', withData({ timeout: 10.001 }), 'data.timeout must be less than or equal to 10'],
      ['a timeout as a string (no coercion)', withData({ timeout: '5' }), 'data.timeout must be a number'],
      ['a timeout as a boolean', withData({ timeout: true }), 'data.timeout must be a number'],
      ['a stdin that is a number', withData({ stdin: 42 }), 'data.stdin must be a string'],
    ];
    for (const [what, body, detail] of cases) {
      it(what, () => {
        expect(detailOf(body)).to.equal(detail);
      });
    }

    it('a code one byte over 64 KiB of UTF-8', () => {
      expect(detailOf(withData({ code: `#${'x'.repeat(64 * 1024)}` }))).to.equal('data.code must be at most 65536 bytes of UTF-8');
    });

    it('a code under 64 Ki characters but over 64 KiB once encoded (bytes, not characters, count)', () => {
      const code = `#${'é'.repeat(40 * 1024)}`; // 40 Ki characters, 80 KiB of UTF-8
      expect(code.length).to.be.lessThan(64 * 1024);
      expect(detailOf(withData({ code }))).to.equal('data.code must be at most 65536 bytes of UTF-8');
    });

    it('a stdin over 64 KiB of UTF-8', () => {
      expect(detailOf(withData({ stdin: 'y'.repeat(64 * 1024 + 1) }))).to.equal('data.stdin must be at most 65536 bytes of UTF-8');
    });

    it('every broken field at once, joined with "; "', () => {
      expect(detailOf({ name: '', data: { code: '', timeout: 99 } })).to.equal(
        'name must not be empty; data.code must not be empty; data.timeout must be less than or equal to 10',
      );
    });
  });

  it('derives its limits from the settings', () => {
    const small = requestRulesFromSettings({ codeLimitBytes: 10, stdinLimitBytes: 0, maxTimeoutSeconds: 2, defaultTimeoutSeconds: 1 });
    const smallSchema = createExecuteRequestSchema(small);
    expect(parseExecuteRequest(smallSchema, small, { name: 'n', data: { code: '1234567890' } })).to.include({ timeoutSeconds: 1 });
    const problem = (body: unknown): string => {
      try {
        parseExecuteRequest(smallSchema, small, body);
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problem({ name: 'n', data: { code: '12345678901' } })).to.equal('data.code must be at most 10 bytes of UTF-8');
    expect(problem({ name: 'n', data: { code: 'pass', timeout: 3 } })).to.equal('data.timeout must be less than or equal to 2');
    expect(problem({ name: 'n', data: { code: 'pass', stdin: 'x' } })).to.equal('data.stdin must be at most 0 bytes of UTF-8');
  });
});
