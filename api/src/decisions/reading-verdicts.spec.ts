import type { ControlledComparison, Verdict } from '../statistics/before-after.js';
import { decisionSummary, decisionVerdict } from './decision-verdict.js';
import { finalVerdicts, type MetricEvidence } from './reading-verdicts.js';

/** A scope-only comparison with a given p-value and interval (lower is better). */
function evidence(pValue: number, ci95: [number, number] | null): MetricEvidence {
  const verdict: Verdict =
    ci95 === null
      ? 'insufficient_data'
      : ci95[1] < 0
        ? 'improved'
        : ci95[0] > 0
          ? 'worsened'
          : 'no_clear_change';
  const summary = { n: 40, median: 10, p90: 20, mean: 12 };
  const result: ControlledComparison = {
    before: summary,
    after: summary,
    medianDiff: ci95 ? (ci95[0] + ci95[1]) / 2 : null,
    medianChangePct: null,
    ci95,
    pValue,
    verdict,
    verdictWithoutControl: verdict,
    control: null,
    controlUsed: false,
  };
  return { result, preTrend: null };
}

describe('finalVerdicts', () => {
  it('does not call a single noise metric improved among strong ones once adjusted', () => {
    // Eleven metrics: two strong improvements, one noisy "improvement" (p 0.03, interval just
    // below 0), seven without change and one without data. Holm over the ten with data:
    //   sorted p: 1e-6, 2e-6, 0.03, 0.2, 0.3, ...
    //   strong:  10 * 1e-6 = 1e-5;  9 * 2e-6 = 1.8e-5;   both < 0.05, improved
    //   noise:    8 * 0.03 = 0.24;                        not < 0.05, no_clear_change
    const input = [
      evidence(1e-6, [-9, -5]),
      evidence(2e-6, [-8, -4]),
      evidence(0.03, [-3, -0.1]),
      ...[0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8].map((p) => evidence(p, [-2, 2])),
      evidence(0.9, null),
    ];
    const out = finalVerdicts(input);
    expect(out.map((v) => v.verdict)).toEqual([
      'improved',
      'improved',
      'no_clear_change',
      ...Array(7).fill('no_clear_change'),
      'insufficient_data',
    ]);
    expect(out[0].pAdjusted).toBeCloseTo(1e-5, 12);
    expect(out[1].pAdjusted).toBeCloseTo(1.8e-5, 12);
    expect(out[2].pAdjusted).toBeCloseTo(0.24, 12);
    expect(out[2].adjusted).toEqual({ pValue: 0.03, pAdjusted: out[2].pAdjusted, family: 10 });
    expect(out[10].pAdjusted).toBeNull();
    expect(out.every((v) => v.family === 10)).toBe(true);
    // Alone, the same noisy metric would have passed: the adjustment is what stops it.
    expect(finalVerdicts([evidence(0.03, [-3, -0.1])])[0].verdict).toBe('improved');
  });

  it('leaves out a control whose trend was not parallel, and says why', () => {
    const base = evidence(1e-4, [-9, -5]);
    const withControl: MetricEvidence = {
      result: {
        ...base.result,
        // The difference in differences says the control explains the change...
        verdict: 'no_clear_change',
        control: { ...base.result, didMedian: 0, didCi95: [-1, 1] },
        controlUsed: true,
      },
      // ...but the gap was already closing by 0.5 a week before the decision.
      preTrend: { slope: -0.5, ci95: [-0.7, -0.3], n: 12 },
    };
    const [out] = finalVerdicts([withControl]);
    expect(out).toMatchObject({
      parallel: false,
      controlNotUsed: 'trends_not_parallel',
      verdict: 'improved',
      verdictWithoutControl: 'improved',
    });
    const parallel = finalVerdicts([
      { ...withControl, preTrend: { ...withControl.preTrend!, ci95: [-0.7, 0.1] } },
    ])[0];
    expect(parallel).toMatchObject({
      parallel: true,
      controlNotUsed: null,
      verdict: 'no_clear_change',
    });
  });
});

describe('decisionVerdict', () => {
  it('follows the table of metrics.md', () => {
    expect(decisionVerdict(['improved', 'no_clear_change', 'insufficient_data'])).toBe('improved');
    expect(decisionVerdict(['worsened', 'no_clear_change'])).toBe('worsened');
    expect(decisionVerdict(['improved', 'worsened', 'no_clear_change'])).toBe('mixed');
    expect(decisionVerdict(['no_clear_change', 'insufficient_data'])).toBe('no_clear_change');
    expect(decisionVerdict(['insufficient_data', 'insufficient_data'])).toBe('insufficient_data');
  });

  it('writes the headline with the metrics, weeks observed and the full reading date', () => {
    const summary = decisionSummary(
      [
        { metric: 'lead_time_for_changes', verdict: 'improved' },
        { metric: 'deployment_frequency', verdict: 'improved' },
        { metric: 'pr_throughput', verdict: 'no_clear_change' },
      ],
      { status: 'in_progress', weeks_observed: 9, complete_at: '2027-01-14T00:00:00Z' },
      12,
    );
    expect(summary).toMatchObject({
      verdict: 'improved',
      improved: ['lead_time_for_changes', 'deployment_frequency'],
      no_clear_change: ['pr_throughput'],
      worsened: [],
    });
    expect(summary.headline).toBe(
      'Release lead time and deployments per week improved; nothing worsened (9 of 12 weeks observed; full reading on 14 Jan 2027)',
    );
    const ramping = decisionSummary(
      [{ metric: 'pr_throughput', verdict: 'insufficient_data' }],
      { status: 'ramping_up', weeks_observed: 0, complete_at: '2027-03-01T00:00:00Z' },
      12,
    );
    expect(ramping.verdict).toBe('insufficient_data');
    expect(ramping.headline).toBe('Ramping up: no after data yet (full reading on 1 Mar 2027)');
  });
});
