import { createHash } from 'node:crypto';
import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/** No log line is longer than this many bytes: a message is cut to fit, and says so. */
export const MAX_LOG_LINE_BYTES = 4096;
const MAX_STACK_CHARS = 1500;

const OUTPUT_LEVEL: Record<LogLevel, string> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'verbose',
  fatal: 'fatal',
};

function cut(text: string, max: number): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/**
 * One JSON object per line for every event, whatever the message held (newlines, a whole batch):
 * scrubbed of secrets, and cut to MAX_LOG_LINE_BYTES.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private levels: LogLevel[],
    private readonly scrub: (text: string) => string,
    private readonly write: (line: string, level: LogLevel) => void = (line, level) =>
      (level === 'error' || level === 'fatal' ? process.stderr : process.stdout).write(line),
    /** Contexts whose `log` lines are kept for the debug level. */
    private readonly debugContexts: ReadonlySet<string> = new Set(),
  ) {}

  setLogLevels(levels: LogLevel[]): void {
    this.levels = levels;
  }

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    const demoted = typeof context === 'string' && this.debugContexts.has(context);
    this.print(demoted ? 'debug' : 'log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.print('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.print('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.print('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.print('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.print('fatal', message, rest);
  }

  private print(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (!this.levels.includes(level)) return;
    // Nest's convention: (message, context) and, for errors, (message, stack, context).
    const params = [...rest];
    const context =
      params.length > 0 && typeof params[params.length - 1] === 'string'
        ? (params.pop() as string)
        : undefined;
    let stack = params.find((p): p is string => typeof p === 'string');
    let text: string;
    if (message instanceof Error) {
      text = `${message.name}: ${message.message}`;
      stack ??= message.stack;
    } else if (typeof message === 'string') {
      text = message;
    } else {
      try {
        text = JSON.stringify(message) ?? String(message);
      } catch {
        text = String(message);
      }
    }
    this.write(`${this.line(level, context, text, stack)}\n`, level);
  }

  /** The JSON line, message and stack cut until it fits. */
  line(level: LogLevel, context: string | undefined, message: string, stack?: string): string {
    const record = {
      level: OUTPUT_LEVEL[level],
      time: new Date().toISOString(),
      pid: process.pid,
      ...(context ? { context } : {}),
      message: this.scrub(message),
      ...(stack ? { stack: cut(this.scrub(stack), MAX_STACK_CHARS) } : {}),
    };
    let json = JSON.stringify(record);
    let budget = MAX_LOG_LINE_BYTES;
    while (Buffer.byteLength(json) > MAX_LOG_LINE_BYTES && budget > 64) {
      budget = Math.floor(budget / 2);
      record.message = cut(this.scrub(message), budget);
      if ('stack' in record) record.stack = cut(record.stack as string, Math.floor(budget / 2));
      json = JSON.stringify(record);
    }
    return json;
  }
}

/**
 * A statement's name for the log: its verb and table, and a hash of its text to tell statements
 * apart. Never its parameters: they can hold a whole 10 MB batch, or a secret.
 */
export function statementName(sql: string): string {
  const head =
    /^\s*(?:WITH\s+[\w"]+|INSERT\s+INTO\s+[\w".]+|UPDATE\s+[\w".]+|DELETE\s+FROM\s+[\w".]+|SELECT|CREATE\s+\w+|ALTER\s+\w+|DROP\s+\w+|\w+)/i.exec(
      sql,
    );
  const hash = createHash('sha1').update(sql).digest('hex').slice(0, 8);
  return `${(head?.[0] ?? 'statement').replace(/\s+/g, ' ').trim()} #${hash}`;
}

/** TypeORM's log, through the app's: failed queries by statement name and error, nothing else. */
export class DatabaseLogger implements TypeOrmLogger {
  private readonly logger = new Logger('database');

  logQuery(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}

  logQueryError(error: string | Error, query: string): void {
    const message = typeof error === 'string' ? error : error.message;
    this.logger.error(`query ${statementName(query)} failed: ${message}`);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
