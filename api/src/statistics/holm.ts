// Holm's step-down adjustment (Holm, "A simple sequentially rejective multiple test procedure",
// Scand. J. Statist. 6, 1979): with m p-values sorted ascending p(1) <= ... <= p(m), the adjusted
// value of p(i) is max over j <= i of min(1, (m - j + 1) * p(j)). Rejecting where the adjusted
// value is below alpha keeps the chance of any false rejection among the m at most alpha, whatever
// their dependence; it is what R's p.adjust(method = "holm") returns.

/** Adjusted p-values in the order given; a null (no test) stays null and does not count in m. */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const tested = pValues
    .map((p, index) => ({ p, index }))
    .filter((entry): entry is { p: number; index: number } => entry.p !== null)
    // Ties keep their input order, so equal p-values get equal adjusted values either way.
    .sort((a, b) => a.p - b.p || a.index - b.index);
  const m = tested.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  tested.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}
