import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * The service's structured logger (JSON lines on stdout). Code that works on one execution logs
 * through `logger.child({ executionId })`, so every line carries the execution id.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'code-execution-service' } }, destination);
}
