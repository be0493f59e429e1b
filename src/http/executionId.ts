import { randomBytes } from 'node:crypto';

/** Ids look like `exec-3f9c2a...`: lowercase, starting with a letter, 29 characters. */
const ID_PATTERN = /^exec-[0-9a-f]{24}$/;

/**
 * A new execution id: "exec-" and 96 random bits in hex. It names the Kubernetes Job, so it is a
 * valid DNS label (lowercase alphanumerics and '-', starts with a letter) well under 40 characters.
 */
export function newExecutionId(): string {
  return `exec-${randomBytes(12).toString('hex')}`;
}

/** Whether `value` has the shape newExecutionId() produces. */
export function isExecutionId(value: string): boolean {
  return ID_PATTERN.test(value);
}
