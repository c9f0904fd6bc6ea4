import type { LastmileEvent } from './events.js';

/**
 * A collector: what it is, and `collect` that yields batches of normalized events with the cursors
 * they advance. It never touches the database: the runner in `api` takes the source's advisory
 * lock, writes each batch's events and cursors in one transaction, and records the run.
 */
export interface Collector<
  TSource extends { kind: string; name: string } = { kind: string; name: string },
> {
  readonly kind: TSource['kind'];
  collect(source: TSource, context: CollectorContext): AsyncIterable<CollectedBatch>;
}

export interface CollectorContext {
  /** The stored cursor of a resource and scope (e.g. 'pulls', 'acme/serving'), or undefined. */
  cursor<T = unknown>(resource: string, scope?: string): T | undefined;
  /** Reads a secret by the environment variable name the source refers to. */
  secret(name: string | undefined): string | undefined;
  /** Adds to the run's progress counters (shown in the API, the log and the UI). */
  progress(delta: { requests?: number; pages?: number; items?: number }): void;
  /** The time of this run (tests drive it). */
  now(): Date;
  signal: AbortSignal;
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

/** A failure a person can act on: names the source and, where it applies, the variable. */
export class CollectorError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'CollectorError';
  }
}
