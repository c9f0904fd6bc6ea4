import { compareWindows, compareWithControl } from './before-after.js';
import { seededRandom } from './random.js';

const HOUR = 3600;

/** Durations from a log-normal-ish spread around a median, as lead times are. */
function durations(seed: number, count: number, medianHours: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.round(medianHours * HOUR * Math.exp(0.5 * z));
  });
}

describe('compareWindows', () => {
  it('calls a halved median lead time an improvement, and the same change a worsening when higher is better', () => {
    const samples = { before: durations(1, 60, 48), after: durations(2, 60, 24) };
    const result = compareWindows(samples, 'lower');
    expect(result.verdict).toBe('improved');
    expect(result.ci95![1]).toBeLessThan(0);
    expect(result.medianChangePct!).toBeLessThan(-30);
    expect(result.pValue!).toBeLessThan(0.001);
    expect(compareWindows(samples, 'higher').verdict).toBe('worsened');
  });

  it('calls two draws from the same distribution no_clear_change, with the interval around 0', () => {
    const result = compareWindows(
      { before: durations(3, 60, 36), after: durations(4, 60, 36) },
      'lower',
    );
    expect(result.verdict).toBe('no_clear_change');
    expect(result.ci95![0]).toBeLessThan(0);
    expect(result.ci95![1]).toBeGreaterThan(0);
    expect(result.pValue!).toBeGreaterThan(0.05);
  });

  it('needs 5 values in each window', () => {
    const result = compareWindows({ before: [1, 2, 3, 4], after: [5, 6, 7, 8, 9, 10] }, 'lower');
    expect(result).toMatchObject({ verdict: 'insufficient_data', ci95: null });
    expect(result.before).toEqual({ n: 4, median: 2.5, p90: 3.7, mean: 2.5 });
    expect(compareWindows({ before: [], after: [] }, 'lower')).toMatchObject({
      verdict: 'insufficient_data',
      pValue: null,
      medianDiff: null,
      medianChangePct: null,
    });
  });

  it('reports the change of the median: (after - before) / before', () => {
    // Weekly counts: medians 4 and 6 -> +2, +50%.
    const result = compareWindows(
      { before: [3, 4, 4, 5, 4, 3, 5], after: [6, 6, 7, 5, 6, 6, 7] },
      'higher',
    );
    expect(result.medianDiff).toBe(2);
    expect(result.medianChangePct).toBe(50);
    expect(result.verdict).toBe('improved');
  });
});

describe('compareWithControl', () => {
  it('does not credit a change that hit the control as much', () => {
    const scope = { before: durations(5, 60, 48), after: durations(6, 60, 24) };
    const control = { before: durations(7, 60, 48), after: durations(8, 60, 24) };
    const result = compareWithControl(scope, control, 'lower');
    expect(result.verdictWithoutControl).toBe('improved');
    expect(result.control!.verdict).toBe('improved');
    expect(Math.abs(result.control!.didMedian!)).toBeLessThan(0.15 * 24 * HOUR);
    expect(result.control!.didCi95![0]).toBeLessThan(0);
    expect(result.control!.didCi95![1]).toBeGreaterThan(0);
    expect(result.controlUsed).toBe(true);
    expect(result.verdict).toBe('no_clear_change');
  });

  it('credits a change the control did not share', () => {
    const scope = { before: durations(9, 60, 48), after: durations(10, 60, 24) };
    const control = { before: durations(11, 60, 48), after: durations(12, 60, 48) };
    const result = compareWithControl(scope, control, 'lower');
    expect(result.control!.verdict).toBe('no_clear_change');
    expect(result.control!.didCi95![1]).toBeLessThan(0);
    expect(result.verdict).toBe('improved');
  });

  it("keeps the scope's own verdict when the control has too little data, and says it was not used", () => {
    const scope = { before: durations(13, 30, 48), after: durations(14, 30, 24) };
    const result = compareWithControl(scope, { before: [1, 2], after: [3, 4, 5, 6, 7] }, 'lower');
    expect(result.controlUsed).toBe(false);
    expect(result.control!.verdict).toBe('insufficient_data');
    expect(result.verdict).toBe('improved');
  });

  it('gives the scope the same interval with a control as without one', () => {
    const scope = { before: durations(19, 40, 30), after: durations(20, 40, 22) };
    const control = { before: durations(21, 40, 30), after: durations(22, 40, 29) };
    const alone = compareWindows(scope, 'lower');
    const controlled = compareWithControl(scope, control, 'lower');
    expect(controlled.ci95).toEqual(alone.ci95);
    expect(controlled.verdictWithoutControl).toBe(alone.verdict);
  });

  it('gives identical results on every run', () => {
    const scope = { before: durations(15, 40, 30), after: durations(16, 40, 20) };
    const control = { before: durations(17, 40, 30), after: durations(18, 40, 28) };
    expect(compareWithControl(scope, control, 'lower')).toEqual(
      compareWithControl(scope, control, 'lower'),
    );
  });
});
