import type {
  CollectedBatch,
  CollectorContext,
  LastmileEvent,
  ProgressDelta,
} from '@lastmile/collectors';
import {
  createGithubCollector,
  type GithubClientOptions,
  type GithubSource,
  githubSourceSchema,
} from '@lastmile/collectors';

// Drives the GitHub collector the way the runner does (cursors applied after each batch), with
// retries shortened so fault tests do not wait GitHub's real back-off.
const FAST: GithubClientOptions = { retryBaseMs: 5, retryAfterUnitMs: 5, graphqlMinTimeMs: 5 };
export const fastCollector = createGithubCollector(FAST);

export const TOKEN_ENV = 'GITHUB_TOKEN_TEST';

export function githubSource(baseUrl: string, overrides: Partial<GithubSource> = {}): GithubSource {
  // The schema's defaults, then the overrides as given: a test may hand the collector a field the
  // schema would have refused, to see the collector's own check.
  const defaults = githubSourceSchema.parse({
    kind: 'github',
    name: 'stand-in',
    base_url: baseUrl,
    token_env: TOKEN_ENV,
    repos: ['panjf2000/ants'],
  });
  return { ...defaults, ...overrides };
}

export interface CollectOutcome {
  batches: CollectedBatch[];
  events: LastmileEvent[];
  progress: { requests: number; pages: number; items: number; points: number };
  error?: Error;
}

/** One sync: `cursors` is the stored state, updated batch by batch as the runner commits it. */
export async function collect(
  source: GithubSource,
  cursors: Map<string, unknown>,
  options: {
    token?: string;
    secrets?: Record<string, string>;
    stopAfterBatches?: number;
    /** Client options beside the shortened waits (e.g. the GraphQL pacing). */
    collector?: GithubClientOptions;
    onProgress?: (delta: ProgressDelta) => void;
  } = {},
): Promise<CollectOutcome> {
  const progress = { requests: 0, pages: 0, items: 0, points: 0 };
  const collector = options.collector
    ? createGithubCollector({ ...FAST, ...options.collector })
    : fastCollector;
  const context: CollectorContext = {
    cursor: <T>(resource: string, scope = '') =>
      cursors.get(`${resource}|${scope}`) as T | undefined,
    secret: (name) =>
      name === TOKEN_ENV
        ? (options.token ?? 'stand-in-token')
        : name
          ? options.secrets?.[name]
          : undefined,
    progress: (delta) => {
      progress.requests += delta.requests ?? 0;
      progress.pages += delta.pages ?? 0;
      progress.items += delta.items ?? 0;
      progress.points += delta.points ?? 0;
      options.onProgress?.(delta);
    },
    now: () => new Date('2026-03-01T00:00:00Z'),
    signal: new AbortController().signal,
  };
  const batches: CollectedBatch[] = [];
  try {
    for await (const batch of collector.collect(source, context)) {
      batches.push(batch);
      for (const c of batch.cursors) cursors.set(`${c.resource}|${c.scope ?? ''}`, c.value);
      if (options.stopAfterBatches !== undefined && batches.length >= options.stopAfterBatches)
        break;
    }
  } catch (error) {
    return { batches, events: batches.flatMap((b) => b.events), progress, error: error as Error };
  }
  return { batches, events: batches.flatMap((b) => b.events), progress };
}
