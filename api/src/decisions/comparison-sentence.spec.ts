import type { ControlledComparison, WindowComparison } from '../statistics/before-after.js';
import { comparisonSentence } from './comparison-sentence.js';

const DAY = 86_400;

function windows(
  before: number,
  after: number,
  ci: [number, number],
  verdict: WindowComparison['verdict'],
): WindowComparison {
  const summary = (median: number) => ({ n: 40, median, p90: median * 2, mean: median * 1.2 });
  return {
    before: summary(before),
    after: summary(after),
    medianDiff: after - before,
    medianChangePct: before === 0 ? null : ((after - before) / before) * 100,
    ci95: ci,
    pValue: 0.01,
    verdict,
  };
}

function withControl(
  scope: WindowComparison,
  control: WindowComparison | null,
  verdict = scope.verdict,
): ControlledComparison {
  return {
    ...scope,
    verdict,
    verdictWithoutControl: scope.verdict,
    control: control && { ...control, didMedian: 0, didCi95: [-1, 1] },
    controlUsed: control !== null,
  };
}

describe('comparisonSentence', () => {
  it('writes the example of the issue: days, percent change and interval, the control within noise', () => {
    // 3.1 -> 1.9 days = -38.7%; CI -1.705 .. -0.62 days = -55% .. -20% of 3.1 days.
    const scope = windows(3.1 * DAY, 1.9 * DAY, [-1.705 * DAY, -0.62 * DAY], 'improved');
    const control = windows(2 * DAY, 2.1 * DAY, [-0.3 * DAY, 0.4 * DAY], 'no_clear_change');
    expect(
      comparisonSentence('lead_time_for_changes', withControl(scope, control), [
        'fraud',
        'forecasting',
      ]),
    ).toBe(
      'Median release lead time fell from 3.1 to 1.9 days (-39%, 95% CI -55% to -20%); the control teams rose 5%, within noise.',
    );
  });

  it('says when a change is not credited because the control moved too', () => {
    const scope = windows(10 * 3600, 5 * 3600, [-7 * 3600, -3 * 3600], 'improved');
    const control = windows(10 * 3600, 5.5 * 3600, [-7 * 3600, -2 * 3600], 'improved');
    expect(
      comparisonSentence(
        'model_release_lead_time',
        withControl(scope, control, 'no_clear_change'),
        ['ads'],
      ),
    ).toBe(
      'Median model release lead time fell from 10 to 5 hours (-50%, 95% CI -70% to -30%); the control team (ads) fell 45% too, so the change is not credited to this decision.',
    );
  });

  it('writes rates in percentage points, counts as numbers, and says when there is no control', () => {
    const rate = windows(0.15, 0.05, [-0.12, -0.02], 'improved');
    expect(comparisonSentence('change_failure_rate', withControl(rate, null), [])).toBe(
      'Median weekly change failure rate fell from 15% to 5% (-10 points, 95% CI -12 points to -2 points); no control teams to compare against.',
    );
    const count = windows(4, 5, [-1, 2], 'no_clear_change');
    expect(comparisonSentence('deployment_frequency', withControl(count, null), [])).toBe(
      'Median deployments per week rose from 4 to 5 (+25%, 95% CI -25% to +50%), within noise; no control teams to compare against.',
    );
    const idle = windows(0, 0, [0, 0], 'no_clear_change');
    expect(comparisonSentence('pr_throughput', withControl(idle, null), [])).toBe(
      'Median merged pull requests per week was 0 in both windows, with no variation; no control teams to compare against.',
    );
  });

  it('does not say fell when the rounded medians are equal, nor give a fall beyond -100%', () => {
    // 4.42 and 4.38 days both read 4.4 days.
    const flat = windows(4.42 * DAY, 4.38 * DAY, [-0.8 * DAY, 0.9 * DAY], 'no_clear_change');
    expect(comparisonSentence('pr_cycle_time', withControl(flat, null), [])).toBe(
      'Median PR cycle time stayed at about 4.4 days (-1%, 95% CI -18% to +20%), within noise; no control teams to compare against.',
    );
    // CI -5.7 .. +6.2 hours of a 4.4-hour median would be -130% .. +141%: given in hours instead.
    const wide = windows(4.4 * 3600, 2.7 * 3600, [-5.7 * 3600, 6.2 * 3600], 'no_clear_change');
    expect(comparisonSentence('time_to_restore', withControl(wide, null), [])).toBe(
      'Median failed deployment recovery time fell from 4.4 to 2.7 hours (-1.7 hours, 95% CI -5.7 hours to +6.2 hours), within noise; no control teams to compare against.',
    );
  });

  it('says the control moved "too" only when the scope moved the same way', () => {
    const scope = windows(3 * DAY, 4 * DAY, [-1 * DAY, 2 * DAY], 'no_clear_change');
    const control = windows(2 * DAY, 4 * DAY, [1 * DAY, 3 * DAY], 'worsened');
    expect(
      comparisonSentence('model_iteration_time', withControl(scope, control), ['a', 'b']),
    ).toBe(
      'Median model iteration time rose from 3 to 4 days (+33%, 95% CI -33% to +67%), within noise; the control teams rose 100%.',
    );
  });

  it('names what is missing when a window has too few values', () => {
    const thin: ControlledComparison = {
      ...withControl(windows(600, 300, [0, 0], 'insufficient_data'), null),
      before: { n: 3, median: 600, p90: 900, mean: 650 },
      ci95: null,
    };
    expect(comparisonSentence('time_to_restore', thin, [])).toBe(
      'Not enough data to compare failed deployment recovery time: 3 resolved incidents before and 40 after (at least 5 needed in each window).',
    );
  });

  it('says when a change is not clear once the reading is adjusted for its many metrics', () => {
    const scope = windows(10 * 3600, 8 * 3600, [-3 * 3600, -0.2 * 3600], 'no_clear_change');
    expect(
      comparisonSentence(
        'model_release_lead_time',
        { ...withControl(scope, null), verdictWithoutControl: 'no_clear_change' },
        [],
        { adjusted: { pValue: 0.03, pAdjusted: 0.24, family: 10 } },
      ),
    ).toBe(
      'Median model release lead time fell from 10 to 8 hours (-20%, 95% CI -30% to -2%), not clear once the 10 metrics of this reading are read together (p 0.030, adjusted 0.240); no control teams to compare against.',
    );
  });

  it("gives a rate control's change in points, and says why a control is not used", () => {
    const scope = windows(0.2, 0.1, [-0.15, -0.05], 'improved');
    const control = windows(0.1, 0.13, [-0.01, 0.07], 'no_clear_change');
    expect(
      comparisonSentence('change_failure_rate', withControl(scope, control), ['ads'], {
        controlNotUsed: 'trends_not_parallel',
        preTrend: { slope: -0.01, ci95: [-0.015, -0.005] },
      }),
    ).toBe(
      'Median weekly change failure rate fell from 20% to 10% (-10 points, 95% CI -15 points to -5 points); the control team (ads) rose 3 points, within noise, but it is not used: before the decision the two were not moving in parallel (their gap to the scope moved -1 points a week, 95% CI -1.5 points to -0.5 points).',
    );
  });

  it('reads a decision still ramping up without an after window', () => {
    const ramping = { ...windows(5 * 3600, 0, [0, 0], 'insufficient_data'), ci95: null };
    ramping.after = { n: 0, median: null, p90: null, mean: null };
    expect(
      comparisonSentence('lead_time_for_changes', withControl(ramping, null), [], {
        status: 'ramping_up',
        afterFrom: '2026-12-14T00:00:00Z',
      }),
    ).toBe(
      'Ramping up: the after window opens on 14 Dec 2026; median release lead time was 5 hours before (40 deployed pull requests).',
    );
  });
});
