import type { Server } from 'node:http';
import request from 'supertest';
import { admin } from '../../support/app.js';
import {
  makeDeployment,
  makeIncident,
  makeModelStage,
  makeModelVersion,
  makePullRequest,
} from '../../support/factories.js';

/** Team "platform" owns acme/serving and the churn model; acme/web belongs to no team. */
export const PLATFORM_TEAM = {
  name: 'platform',
  repos: ['acme/serving'],
  models: [{ registry: 'mlflow-prod', model: 'churn' }],
};

/**
 * Two weeks of activity (UTC): 2026-W08 (16-22 Feb) has one PR shipped by one deployment; 2026-W09
 * (23 Feb-1 Mar) has three merged PRs (two of acme/serving, shipped together), one deployment
 * that an incident makes a change failure, and one model promotion.
 */
export async function seedTwoWeeks(http: Server): Promise<void> {
  const pr = (number: number, repo: string, created: string, merged: string, title: string) =>
    makePullRequest({
      id: `${repo}#${number}`,
      repo,
      number,
      title,
      created_at: created,
      merged_at: merged,
      commits: [{ sha: `c0ffee${repo.length}${number}`, authored_at: created }],
      reviews: [{ author: 'bob', submitted_at: created.replace('T10', 'T12') }],
    });
  const events = [
    makeDeployment({
      id: 'd0',
      finished_at: '2026-02-09T10:10:00Z',
      started_at: '2026-02-09T10:00:00Z',
    }),
    pr(1, 'acme/serving', '2026-02-16T10:00:00Z', '2026-02-17T10:00:00Z', 'Cache features'),
    makeDeployment({
      id: 'd1',
      started_at: '2026-02-18T10:00:00Z',
      finished_at: '2026-02-18T10:10:00Z',
      pull_requests: [1],
    }),
    pr(2, 'acme/serving', '2026-02-23T10:00:00Z', '2026-02-24T10:00:00Z', 'Faster scoring'),
    pr(
      3,
      'acme/serving',
      '2026-02-19T10:00:00Z',
      '2026-02-25T10:00:00Z',
      'Rewrite <the> | batcher',
    ),
    pr(4, 'acme/web', '2026-02-24T10:00:00Z', '2026-02-24T16:00:00Z', 'Docs'),
    makeDeployment({
      id: 'd2',
      started_at: '2026-02-26T10:00:00Z',
      finished_at: '2026-02-26T10:10:00Z',
      pull_requests: [2, 3],
    }),
    makeIncident({
      id: 'i1',
      created_at: '2026-02-26T12:00:00Z',
      resolved_at: '2026-02-26T14:00:00Z',
    }),
    makeModelVersion({
      id: 'mv-churn-7',
      model: 'churn',
      version: '7',
      created_at: '2026-02-20T09:00:00Z',
    }),
    makeModelStage({ id: 'ms-churn-7', model: 'churn', version: '7', at: '2026-02-25T09:00:00Z' }),
  ];
  const response = await request(http).post('/api/v1/events').set(admin).send({ events });
  if (response.status !== 200) throw new Error(`seeding failed: ${JSON.stringify(response.body)}`);
}
