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

/**
 * A logger that writes at info level even when LOG_LEVEL is warn or error (but not silent):
 * for the few lines other programs read, such as "relay listening".
 */
export function createAnnouncer(name: string): Logger {
  return root.child({ module: name }, { level: root.level === 'silent' ? 'silent' : 'info' });
}

/** Changes the level of every logger made by createLogger (children follow the root). */
export function setLogLevel(level: string): void {
  root.level = level;
}

export type { Logger };
