import { failedDeployments, promotedModels, slowestPullRequests } from './report-drill-down.js';

describe('report lists from drill-down rows', () => {
  it('keeps the slowest merged PRs, longest first, without those lacking a cycle time', () => {
    const pr = (number: number, cycle: unknown) => ({
      repo: 'acme/serving',
      number,
      title: `PR ${number}`,
      author: 'alice',
      merged_at: '2026-02-24T10:00:00Z',
      cycle,
    });
    const rows = [
      pr(1, '3600'),
      pr(2, null),
      pr(3, 86_400),
      pr(4, '7200.5'),
      pr(5, 60),
      pr(6, 120),
      pr(7, 180),
    ];
    const slowest = slowestPullRequests(rows);
    // 86,400 > 7,200.5 > 3,600 > 180 > 120; 60 is sixth and PR 2 has no cycle time.
    expect(slowest.map((p) => [p.number, p.cycle_seconds])).toEqual([
      [3, 86_400],
      [4, 7200.5],
      [1, 3600],
      [7, 180],
      [6, 120],
    ]);
  });

  it('lists promotions in time order with their release lead time in seconds', () => {
    const rows = [
      {
        registry: 'r',
        model: 'fraud',
        version: '3',
        environment: 'production',
        promoted_at: '2026-02-27T09:00:00Z',
        release_lead_time: '86400',
      },
      {
        registry: 'r',
        model: 'churn',
        version: '7',
        environment: 'production',
        promoted_at: '2026-02-25T09:00:00Z',
        release_lead_time: null,
      },
    ];
    expect(promotedModels(rows)).toEqual([
      {
        registry: 'r',
        model: 'churn',
        version: '7',
        environment: 'production',
        promoted_at: '2026-02-25T09:00:00Z',
        lead_time_seconds: null,
      },
      {
        registry: 'r',
        model: 'fraud',
        version: '3',
        environment: 'production',
        promoted_at: '2026-02-27T09:00:00Z',
        lead_time_seconds: 86_400,
      },
    ]);
  });

  it('keeps failed deployments and change failures', () => {
    const dep = (id: string, status: string, failure: boolean, at: string) => ({
      id,
      repo: 'acme/serving',
      environment: 'production',
      status,
      is_change_failure: failure,
      finished_at: at,
    });
    const rows = [
      dep('d3', 'success', true, '2026-02-26T10:00:00Z'),
      dep('d2', 'failure', false, '2026-02-25T10:00:00Z'),
      dep('d1', 'success', false, '2026-02-24T10:00:00Z'),
    ];
    expect(failedDeployments(rows).map((d) => [d.id, d.status, d.change_failure])).toEqual([
      ['d2', 'failure', false],
      ['d3', 'success', true],
    ]);
  });
});
