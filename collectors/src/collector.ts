import type { z } from 'zod';
import type { LastmileEvent } from './events.js';
import type { CheckContext, SourceCheck } from './source-check.js';

/** What every source's config has, whatever its kind. */
export interface SourceBase {
  kind: string;
  name: string;
  schedule: string;
}

/** How a source is shown: its kind's label, a few facts and links, rendered as sent. */
export interface SourceDisplay {
  label: string;
  fields: { label: string; value: string }[];
  links: { label: string; href: string }[];
}

/**
 * A source kind, all of it in its own folder: its config schema (zod; the source's TypeScript type
 * is inferred from it), `collect` that yields batches of normalized events with the cursors they
 * advance, and what the api asks of a source of this kind. It never touches the database: the
 * runner in `api` takes the source's advisory lock, writes each batch's events and cursors in one
 * transaction, and records the run.
 */
export interface Collector<TSource extends SourceBase = SourceBase> {
  readonly kind: TSource['kind'];
  /** The kind's name as people know it ("GitLab"), where kinds are listed; display's label too. */
  readonly label?: string;
  /** The source's config, as the config file and POST /api/v1/sources take it. */
  readonly schema: z.ZodType<TSource>;
  /** Whether a source of this kind is a model registry (its models are kept under its name). */
  readonly modelRegistry: boolean;
  collect(source: TSource, context: CollectorContext): AsyncIterable<CollectedBatch>;
  /**
   * metrics.md "Production": the pattern a deployment's environment must match to count, when
   * sources of this kind carry their own; otherwise the config file's applies.
   */
  productionEnvironment?(source: TSource): string | undefined;
  display(source: TSource): SourceDisplay;
  /**
   * Whether the source can sync: its variables are set and the service answers and accepts them
   * (`<kind>.check.ts` beside the collector). A kind without one says so when asked.
   */
  check?(source: TSource, context: CheckContext): Promise<SourceCheck>;
}

export interface CollectorContext {
  /** The stored cursor of a resource and scope (e.g. 'pulls', 'acme/serving'), or undefined. */
  cursor<T = unknown>(resource: string, scope?: string): T | undefined;
  /** Reads a secret by the environment variable name the source refers to. */
  secret(name: string | undefined): string | undefined;
  /** Adds to the run's progress counters (shown in the API, the log and the UI). */
  progress(delta: ProgressDelta): void;
  /** The time of this run (tests drive it). */
  now(): Date;
  signal: AbortSignal;
}

/** Counters add up; the GraphQL budget fields replace the last value told. */
export interface ProgressDelta {
  requests?: number;
  pages?: number;
  items?: number;
  /** GraphQL points used by the request(s) just made. */
  points?: number;
  /** GraphQL points the token has left, and when they reset (ISO). */
  pointsRemaining?: number;
  pointsResetAt?: string;
  /** When the run expects to finish (ISO), where a collector can tell. */
  estimatedFinish?: string;
}

export interface CursorUpdate {
  resource: string;
  scope?: string;
  value: unknown;
}

export interface CollectedBatch {
  events: LastmileEvent[];
  cursors: CursorUpdate[];
}

/**
 * Throws, naming the field, when a pattern is not a valid regular expression: a source stored
 * before its schema checked patterns reaches its collector unchecked. Lists are named by index.
 */
export function checkPatterns(
  source: string,
  patterns: Record<string, string | readonly string[] | undefined>,
): void {
  const named = Object.entries(patterns).flatMap(([field, value]) =>
    typeof value === 'string' || value === undefined
      ? [[field, value] as const]
      : value.map((pattern, index) => [`${field}[${index}]`, pattern] as const),
  );
  for (const [field, pattern] of named) {
    if (pattern === undefined) continue;
    try {
      new RegExp(pattern, 'i');
    } catch {
      throw new CollectorError(
        `${source}: ${field} "${pattern}" is not a valid regular expression.`,
      );
    }
  }
}

/** A failure a person can act on: names the source and, where it applies, the variable. */
export class CollectorError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
    /** The failure underneath (a connection error's code): a check says why from it. */
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CollectorError';
  }
}
