/**
 * The body of `POST /items`: `{"name", "data": {"code", "timeout", "stdin"}}`.
 * One set of rules, derived from the settings, feeds both the yup schema below and the OpenAPI
 * document (openapi.ts), so the two cannot drift apart.
 */
import * as yup from 'yup';
import type { Settings } from '../config/settings.ts';
import { HttpProblem } from './problems.ts';

/** Longest `name`, in characters. */
export const NAME_MAX_LENGTH = 200;

/** The validation rules of an execute request. */
export interface RequestRules {
  readonly nameMaxLength: number;
  readonly codeMaxBytes: number;
  readonly stdinMaxBytes: number;
  readonly maxTimeoutSeconds: number;
  readonly defaultTimeoutSeconds: number;
}

/** A valid request, with defaults applied. */
export interface ExecuteRequestBody {
  readonly name: string;
  readonly code: string;
  readonly stdin: string;
  readonly timeoutSeconds: number;
}

type RuleSettings = Pick<Settings, 'codeLimitBytes' | 'stdinLimitBytes' | 'maxTimeoutSeconds' | 'defaultTimeoutSeconds'>;

/** The request rules the settings imply. */
export function requestRulesFromSettings(settings: RuleSettings): RequestRules {
  return {
    nameMaxLength: NAME_MAX_LENGTH,
    codeMaxBytes: settings.codeLimitBytes,
    stdinMaxBytes: settings.stdinLimitBytes,
    maxTimeoutSeconds: settings.maxTimeoutSeconds,
    defaultTimeoutSeconds: settings.defaultTimeoutSeconds,
  };
}

/** A string field: no coercion (strict), so `5` is not silently turned into `"5"`. */
const strictString = (): yup.StringSchema<string | undefined> =>
  yup.string().strict().typeError('${path} must be a string').nonNullable('${path} must be a string');

/** Passes when the UTF-8 encoding of the value has at most `max` bytes. */
const maxUtf8Bytes = (max: number) => ({
  name: 'maxBytes',
  message: `\${path} must be at most ${max} bytes of UTF-8`,
  test: (value: string | null | undefined): boolean => value == null || Buffer.byteLength(value, 'utf8') <= max,
});

function buildSchema(rules: RequestRules) {
  return yup
    .object({
      name: strictString()
        .defined('${path} is required')
        .min(1, '${path} must not be empty')
        .max(rules.nameMaxLength, '${path} must be at most ${max} characters'),
      data: yup
        .object({
          code: strictString()
            .defined('${path} is required')
            .min(1, '${path} must not be empty')
            .test(maxUtf8Bytes(rules.codeMaxBytes)),
          timeout: yup
            .number()
            .strict()
            .typeError('${path} must be a number')
            .nullable()
            .moreThan(0)
            .max(rules.maxTimeoutSeconds),
          stdin: yup.string().strict().typeError('${path} must be a string').nullable().test(maxUtf8Bytes(rules.stdinMaxBytes)),
        })
        .default(undefined)
        .typeError('${path} must be an object')
        .nonNullable('${path} must be an object')
        .defined('${path} is required'),
    })
    .typeError('request body must be a JSON object')
    .nonNullable('request body must be a JSON object');
}

/** The yup schema of an execute request. */
export type ExecuteRequestSchema = ReturnType<typeof buildSchema>;

/**
 * The yup schema of an execute request. Strict: values of the wrong type are refused, never
 * coerced (`"timeout": "5"` is a 422). `null` for the optional `timeout` and `stdin` means
 * "not given". Unknown fields are ignored.
 */
export function createExecuteRequestSchema(rules: RequestRules): ExecuteRequestSchema {
  return buildSchema(rules);
}

/**
 * Validates a parsed JSON body and applies the defaults.
 * @throws HttpProblem 422 whose detail names every field that breaks a rule, and the rule.
 */
export function parseExecuteRequest(schema: ExecuteRequestSchema, rules: RequestRules, body: unknown): ExecuteRequestBody {
  let valid: yup.InferType<ExecuteRequestSchema>;
  try {
    valid = schema.validateSync(body, { abortEarly: false });
  } catch (error) {
    if (error instanceof yup.ValidationError) throw new HttpProblem(422, error.errors.join('; '));
    throw error;
  }
  return {
    name: valid.name,
    code: valid.data.code,
    stdin: valid.data.stdin ?? '',
    timeoutSeconds: valid.data.timeout ?? rules.defaultTimeoutSeconds,
  };
}
