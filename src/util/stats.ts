/** Small descriptive statistics on plain number arrays. */

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : NaN;
}

/** Sample standard deviation (n − 1 in the denominator); 0 for fewer than two values. */
export function std(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

export function min(xs: ArrayLike<number>): number {
  let v = Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] < v) v = xs[i];
  return v;
}

export function max(xs: ArrayLike<number>): number {
  let v = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] > v) v = xs[i];
  return v;
}

/** Median: the middle value, or the mean of the two middle values for an even count. Throws on an empty list. */
export function median(xs: ArrayLike<number>): number {
  if (xs.length === 0) throw new RangeError("median of an empty list");
  const s = Array.from(xs).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Evenly spaced values from `start` to `stop` inclusive. */
export function linspace(start: number, stop: number, count: number): number[] {
  if (count < 2) return [start];
  const step = (stop - start) / (count - 1);
  return Array.from({ length: count }, (_, i) => start + i * step);
}

/** Root-mean-square of the element-wise difference a − b. */
export function rmse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`rmse: lengths differ (${a.length} vs ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / a.length);
}

/** Ordinary least-squares line y = slope·x + intercept, with R². All x equal (no line is defined): slope, intercept and r2 are NaN. */
export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>): { slope: number; intercept: number; r2: number } {
  let spread = false;
  for (let i = 1; i < x.length && !spread; i++) spread = x[i] !== x[0];
  if (!spread) return { slope: NaN, intercept: NaN, r2: NaN };
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}

/**
 * Binomial standard deviation, in percentage points, of an accuracy `accuracyPct` (%) measured on `testCount`
 * independent samples: 100·√(p(1 − p)/n) with p = accuracyPct/100.
 */
export function accuracyStdPp(accuracyPct: number, testCount: number): number {
  if (!(accuracyPct >= 0 && accuracyPct <= 100)) throw new RangeError(`accuracyPct must lie in 0…100, got ${accuracyPct}`);
  if (!(Number.isInteger(testCount) && testCount >= 1)) throw new RangeError(`testCount must be an integer ≥ 1, got ${testCount}`);
  const p = accuracyPct / 100;
  return 100 * Math.sqrt((p * (1 - p)) / testCount);
}
