import { pino, type Logger } from 'pino';

const root = pino({ level: process.env.LOG_LEVEL ?? 'info', base: undefined });

/** One logger per module, named after it (`core.outbox`); LOG_LEVEL sets the level. */
export function createLogger(name: string): Logger {
  return root.child({ module: name });
}
