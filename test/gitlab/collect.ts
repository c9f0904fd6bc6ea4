import type { CollectedBatch, CollectorContext, LastmileEvent } from '@lastmile/collectors';
import { createGitlabCollector, type GitlabSource, gitlabSourceSchema } from '@lastmile/collectors';

// Drives the GitLab collector the way the runner does (cursors applied after each batch), with a
// second of Retry-After or of a rate-limit reset shortened to 5 ms so fault tests do not wait.
export const fastGitlabCollector = createGitlabCollector({ retryAfterUnitMs: 5 });

export const TOKEN_ENV = 'GITLAB_TOKEN_TEST';

export function gitlabSource(
  baseUrl: string,
  overrides: Partial<Record<keyof GitlabSource, unknown>> = {},
): GitlabSource {
  // Through the schema, as the config file and the API take a source: its defaults fill the rest.
  return gitlabSourceSchema.parse({
    kind: 'gitlab',
    name: 'gl',
    base_url: baseUrl,
    token_env: TOKEN_ENV,
    projects: ['acme/ml/serving'],
    ...overrides,
  });
}

export interface CollectOutcome {
  batches: CollectedBatch[];
  events: LastmileEvent[];
  progress: { requests: number; pages: number; items: number };
  error?: Error;
}

/** One sync: `cursors` is the stored state, updated batch by batch as the runner commits it. */
export async function collect(
  source: GitlabSource,
  cursors: Map<string, unknown>,
  options: { token?: string; collector?: ReturnType<typeof createGitlabCollector> } = {},
): Promise<CollectOutcome> {
  const progress = { requests: 0, pages: 0, items: 0 };
  const context: CollectorContext = {
    cursor: <T>(resource: string, scope = '') =>
      cursors.get(`${resource}|${scope}`) as T | undefined,
    secret: (name) => (name === TOKEN_ENV ? (options.token ?? 'glpat-stand-in-token') : undefined),
    progress: (delta) => {
      progress.requests += delta.requests ?? 0;
      progress.pages += delta.pages ?? 0;
      progress.items += delta.items ?? 0;
    },
    now: () => new Date('2026-03-01T00:00:00Z'),
    signal: new AbortController().signal,
  };
  const batches: CollectedBatch[] = [];
  try {
    for await (const batch of (options.collector ?? fastGitlabCollector).collect(source, context)) {
      batches.push(batch);
      for (const c of batch.cursors) cursors.set(`${c.resource}|${c.scope ?? ''}`, c.value);
    }
  } catch (error) {
    return { batches, events: batches.flatMap((b) => b.events), progress, error: error as Error };
  }
  return { batches, events: batches.flatMap((b) => b.events), progress };
}
