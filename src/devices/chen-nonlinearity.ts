/**
 * The nonlinear conductance-update model of Chen, Peng & Yu (NeuroSim, IEEE TCAD 2018), which the MTT
 * paper uses to label its ECRAM's linearity (Fig 3f).
 *
 * Potentiation from G_min after P pulses (P ∈ [0, P_max]):
 *   G(P) = B·(1 − e^(−P/A)) + G_min,   B = (G_max − G_min) / (1 − e^(−P_max/A)).
 * Depression uses the same form counted down from G_max. The shape depends only on a = A/P_max; NeuroSim
 * labels it by a "nonlinearity" NL such that the largest gap between the normalised curve
 * y(x) = (1 − e^(−x/a)) / (1 − e^(−1/a)) and the straight line y = x equals 0.099·NL (public model fact;
 * NL 1 ↔ a ≈ 1.25, NL 5 ↔ a ≈ 0.19). We invert that definition numerically instead of tabulating it.
 */
import { requireFinite, requireInRange, requirePositive } from "../util/validate";

/** Gap per unit NL in NeuroSim's definition of the nonlinearity label (public model). */
export const GAP_PER_NONLINEARITY = 0.099;
/** Labels NeuroSim tabulates: 0.01 … 9. Outside this the label is rejected. */
export const NONLINEARITY_RANGE: readonly [number, number] = [0.01, 9];

/** Normalised potentiation curve y(x) for shape a = A/P_max; x, y ∈ [0, 1]. */
export function normalisedCurve(x: number, a: number): number {
  return (1 - Math.exp(-x / a)) / (1 - Math.exp(-1 / a));
}

/** Largest gap max_x [y(x) − x] of the normalised curve (closed form: at x* = a·ln((1 − e^(−1/a))^(−1)/a)… solved numerically). */
export function maxGap(a: number): number {
  requirePositive("a (A/P_max)", a);
  // dy/dx = 1 at x* = −a·ln(a·(1 − e^(−1/a))); clamp into [0, 1].
  const c = 1 - Math.exp(-1 / a);
  let x = -a * Math.log(a * c);
  x = Math.min(1, Math.max(0, x));
  return normalisedCurve(x, a) - x;
}

/** A/P_max for a NeuroSim nonlinearity label (bisection on maxGap, which falls monotonically in a). */
export function shapeForNonlinearity(nl: number): number {
  requireInRange("nonlinearity label NL", nl, NONLINEARITY_RANGE[0], NONLINEARITY_RANGE[1]);
  const target = GAP_PER_NONLINEARITY * nl;
  let lo = 1e-4;
  let hi = 1e4;
  for (let i = 0; i < 200; i++) {
    const mid = Math.sqrt(lo * hi);
    if (maxGap(mid) > target) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/** The nonlinearity label of a shape a = A/P_max (the inverse of {@link shapeForNonlinearity}). */
export function nonlinearityForShape(a: number): number {
  return maxGap(a) / GAP_PER_NONLINEARITY;
}

/**
 * Fit the nonlinearity label to one measured potentiation (or, mirrored, depression) branch: conductances
 * g[0..n−1] after 0..n−1 pulses. Normalises to [0, 1] by the branch's own end points and finds the shape a
 * minimising the squared error (golden-section search on log a), as Fig 3f does per cycle.
 *
 * Chen's form only saturates (steps shrink as G rises). A branch whose steps grow instead (an accelerating
 * branch, bowed below the straight line) is fitted with the point reflection of the same curve,
 * y(x) = 1 − ŷ(1 − x), and gets a negative label: the sign says which way the branch bows, the magnitude
 * how far, on NeuroSim's scale. So a near-linear branch whose noise bows it either way gets a label near 0
 * from either side (|NL| is clamped to the tabulated range 0.01 … 9).
 */
export function fitNonlinearity(branchUS: ArrayLike<number>): { nonlinearity: number; shape: number; rmsResidual: number } {
  const n = branchUS.length;
  if (n < 4) throw new RangeError(`fitNonlinearity: need at least 4 points, got ${n}`);
  const g0 = requireFinite("branch[0]", branchUS[0]);
  const g1 = requireFinite(`branch[${n - 1}]`, branchUS[n - 1]);
  if (g1 === g0) throw new RangeError("fitNonlinearity: branch has no conductance change");
  const ys = Array.from({ length: n }, (_, i) => (branchUS[i] - g0) / (g1 - g0));
  const saturating = fitShape(ys);
  const accelerating = fitShape(ys.map((_, i) => 1 - ys[n - 1 - i]));
  const best = accelerating.cost < saturating.cost ? { ...accelerating, sign: -1 } : { ...saturating, sign: 1 };
  const magnitude = Math.min(NONLINEARITY_RANGE[1], Math.max(NONLINEARITY_RANGE[0], nonlinearityForShape(best.shape)));
  return { nonlinearity: best.sign * magnitude, shape: best.shape, rmsResidual: Math.sqrt(best.cost / n) };
}

/** Least-squares shape a of the normalised Chen curve through ys at x = i/(n−1) (golden section on log a). */
function fitShape(ys: readonly number[]): { shape: number; cost: number } {
  const n = ys.length;
  const cost = (logA: number): number => {
    const a = Math.exp(logA);
    let s = 0;
    for (let i = 0; i < n; i++) s += (normalisedCurve(i / (n - 1), a) - ys[i]) ** 2;
    return s;
  };
  let lo = Math.log(0.02);
  let hi = Math.log(1e3);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 100; i++) {
    const m1 = hi - phi * (hi - lo);
    const m2 = lo + phi * (hi - lo);
    if (cost(m1) < cost(m2)) hi = m2;
    else lo = m1;
  }
  const logShape = (lo + hi) / 2;
  return { shape: Math.exp(logShape), cost: cost(logShape) };
}

/** Conductance after P potentiation pulses from G_min (Chen model), µS. */
export function potentiationCurveUS(p: number, pMax: number, shape: number, gMinUS: number, gMaxUS: number): number {
  const a = shape * pMax;
  const b = (gMaxUS - gMinUS) / (1 - Math.exp(-pMax / a));
  return b * (1 - Math.exp(-p / a)) + gMinUS;
}

/** Inverse of {@link potentiationCurveUS}: the pulse coordinate P of a conductance, clamped to [0, P_max]. */
export function potentiationPulseCoordinate(gUS: number, pMax: number, shape: number, gMinUS: number, gMaxUS: number): number {
  const a = shape * pMax;
  const b = (gMaxUS - gMinUS) / (1 - Math.exp(-pMax / a));
  const frac = Math.min(1 - 1e-12, Math.max(0, (gUS - gMinUS) / b));
  return Math.min(pMax, Math.max(0, -a * Math.log(1 - frac)));
}
