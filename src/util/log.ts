/**
 * Structured logs in Prometheus 3's shapes: logfmt (`time=... level=INFO msg="..." k=v`) or
 * JSON, one line per record, to stderr. Components add context with `with({component})`.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'logfmt' | 'json';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  with(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  write?: (line: string) => void;
}

function logfmtValue(v: unknown): string {
  const s = v instanceof Error ? v.message : typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s === '' || /[\s"=\\]/.test(s) ? JSON.stringify(s) : s;
}

export function createLogger(opts: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const format = opts.format ?? 'logfmt';
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const record: Record<string, unknown> = { time: new Date().toISOString(), level: level.toUpperCase(), ...base, msg, ...fields };
    if (format === 'json') {
      write(JSON.stringify(record, (_k, v) => (v instanceof Error ? v.message : v)));
      return;
    }
    write(Object.entries(record).map(([k, v]) => `${k}=${logfmtValue(v)}`).join(' '));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    with: (fields) => createLogger(opts, { ...base, ...fields }),
  };
}

/** Discards everything; for tests and library use without a configured logger. */
export const nopLogger: Logger = createLogger({ write: () => {} });
