import type { Settings } from '../config/settings.ts';
import type { ExecutionLimits } from './types.ts';

/** The contract's limits, as configured. */
export function limitsFromSettings(settings: Settings): ExecutionLimits {
  return {
    maxTimeoutSeconds: settings.maxTimeoutSeconds,
    memoryBytes: settings.memoryLimitBytes,
    outputBytes: settings.outputLimitBytes,
    codeBytes: settings.codeLimitBytes,
    stdinBytes: settings.stdinLimitBytes,
  };
}
