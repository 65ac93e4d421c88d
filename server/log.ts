import pino, { type Logger } from 'pino';

// One root logger per process; modules take a named child so every line says where it came from.
const root = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export function createLogger(name: string): Logger {
  return root.child({ module: name });
}

/** Changes the level of every logger made by createLogger (children follow the root). */
export function setLogLevel(level: string): void {
  root.level = level;
}

export type { Logger };
