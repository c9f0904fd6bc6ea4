import { median } from './statistics.js';

describe('median', () => {
  it.each([
    { values: [], want: null },
    { values: [5], want: 5 },
    { values: [3, 1, 2], want: 2 },
    { values: [4, 1, 2, 3], want: 2.5 }, // between 2 and 3, as percentile_cont(0.5)
  ])('$values -> $want', ({ values, want }) => {
    expect(median(values)).toBe(want);
  });
});
