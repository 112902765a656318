/**
 * Compact forms of the MTT weight transfer function and their least-squares fits.
 *
 * Generalized model (Fig 4c–e; equation lost in extraction, rebuilt from the circuit): for each sign,
 *   W_b = A·u / (1 + B·u),   u = max(0, |W_h| − r),
 * with (A_p, B_p, r_p) for W_h ≥ 0 and (A_n, B_n, r_n) for W_h < 0 (W_b takes the sign of W_h).
 * Why this form: with a linear memory device and an inference transistor in its linear region the branch
 * output is (V_n(G) − V_n(G_min))/(V_read_H − V_n(G_min)), and V_n is a bilinear (Möbius) function of G
 * for both a resistor and a saturated-transistor reference; a linear W_h ↔ G mapping keeps it bilinear,
 * which is exactly A·u/(1 + B·u). A and B "take the similar role of K" (they grow with the dynamic range);
 * r is the zero-gradient radius of a sub-threshold read (Fig S12) and the ternary zero region (Fig 7g).
 */
import { requireFinite, requireInteger, requireNonNegative } from "../util/validate";

export interface BranchParams {
  /** Slope-like parameter A (> 0). */
  a: number;
  /** Saturation parameter B (> −1/(1−r) so the denominator stays positive on [r, 1]). */
  b: number;
  /** Zero-region radius r ∈ [0, 1), 0 for a binary function. */
  r: number;
}

export interface CompactParams {
  positive: BranchParams;
  negative: BranchParams;
}

/** Branch value at |W_h| = x ≥ 0. */
export function branchValue(p: BranchParams, x: number): number {
  const u = x - p.r;
  if (u <= 0) return 0;
  return (p.a * u) / (1 + p.b * u);
}

/** W_b from the compact form, W_h clamped to [−1, 1]. */
export function compactWeight(p: CompactParams, hiddenWeight: number): number {
  const w = Math.max(-1, Math.min(1, hiddenWeight));
  return w >= 0 ? branchValue(p.positive, w) : -branchValue(p.negative, -w);
}

export interface FitResult {
  params: BranchParams;
  /** Root-mean-square residual on the data, in W_b units. */
  rmsResidual: number;
  /** Largest absolute residual. */
  maxResidual: number;
  iterations: number;
  converged: boolean;
}

/** Thrown when a fit does not converge: carries the residual and the iteration count. */
export class FitNotConvergedError extends Error {
  constructor(readonly rmsResidual: number, readonly iterations: number, what: string, detail = "") {
    super(`${what}: fit did not converge (rms residual ${rmsResidual.toExponential(3)}, ${iterations} iterations)${detail}`);
    this.name = "FitNotConvergedError";
  }
}

function solveLinear(m: number[][], v: number[]): number[] | null {
  const n = v.length;
  const a = m.map((row, i) => [...row, v[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
    if (Math.abs(a[piv][c]) < 1e-300) return null;
    [a[c], a[piv]] = [a[piv], a[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r][n];
    for (let k = r + 1; k < n; k++) s -= a[r][k] * x[k];
    x[r] = s / a[r][r];
  }
  return x;
}

/**
 * Levenberg–Marquardt on a small parameter vector θ (numeric Jacobian). `model(θ, x)` and optional box
 * constraints via `project`. Returns θ, residual and iteration count.
 */
export function levenbergMarquardt(
  model: (theta: number[], x: number) => number,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  theta0: number[],
  options: { maxIterations?: number; tolerance?: number; project?: (theta: number[]) => number[] } = {},
): { theta: number[]; rms: number; iterations: number; converged: boolean } {
  const maxIt = options.maxIterations ?? 500;
  const tol = options.tolerance ?? 1e-12;
  const project = options.project ?? ((t: number[]) => t);
  const n = xs.length;
  const p = theta0.length;
  const sse = (t: number[]): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (ys[i] - model(t, xs[i])) ** 2;
    return s;
  };
  let theta = project([...theta0]);
  let cost = sse(theta);
  let lambda = 1e-3;
  let it = 0;
  let converged = false;
  for (; it < maxIt; it++) {
    const jac: number[][] = [];
    const res: number[] = [];
    for (let i = 0; i < n; i++) {
      const f0 = model(theta, xs[i]);
      res.push(ys[i] - f0);
      const row: number[] = [];
      for (let k = 0; k < p; k++) {
        const h = 1e-7 * Math.max(1, Math.abs(theta[k]));
        const t = [...theta];
        t[k] += h;
        row.push((model(t, xs[i]) - f0) / h);
      }
      jac.push(row);
    }
    const jtj = Array.from({ length: p }, () => new Array(p).fill(0));
    const jtr = new Array(p).fill(0);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < p; a++) {
        jtr[a] += jac[i][a] * res[i];
        for (let b = 0; b < p; b++) jtj[a][b] += jac[i][a] * jac[i][b];
      }
    }
    let improved = false;
    for (let tries = 0; tries < 30; tries++) {
      const m = jtj.map((row, a) => row.map((v, b) => (a === b ? v * (1 + lambda) + 1e-15 : v)));
      const step = solveLinear(m, jtr);
      if (!step) {
        lambda *= 10;
        continue;
      }
      const cand = project(theta.map((v, k) => v + step[k]));
      const c = sse(cand);
      if (c < cost) {
        const rel = (cost - c) / Math.max(cost, 1e-300);
        theta = cand;
        cost = c;
        lambda = Math.max(lambda / 3, 1e-12);
        improved = true;
        if (rel < tol) converged = true;
        break;
      }
      lambda *= 4;
    }
    if (!improved) {
      // No downhill step at any damping: a (local) minimum.
      converged = true;
      break;
    }
    if (converged) break;
  }
  return { theta, rms: Math.sqrt(cost / n), iterations: it + 1, converged };
}

/**
 * Fit one branch W_b = A·u/(1 + B·u), u = (x − r)₊, to samples (x ≥ 0, y). With `fitRadius` false, r = 0.
 * Starts from the algebraic (linearised) fit y = A·x − B·x·y. Throws {@link FitNotConvergedError} when LM
 * does not converge or the residual exceeds `maxRms`.
 */
export function fitBranch(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  options: { fitRadius?: boolean; maxRms?: number; what?: string } = {},
): FitResult {
  if (xs.length !== ys.length) throw new RangeError(`fitBranch: xs (${xs.length}) and ys (${ys.length}) differ in length`);
  requireInteger("number of samples", xs.length, 4);
  for (let i = 0; i < xs.length; i++) {
    requireNonNegative(`xs[${i}]`, xs[i]);
    requireFinite(`ys[${i}]`, ys[i]);
  }
  const what = options.what ?? "compact transfer fit";
  // Radius guess: last x where y is still below 1 % of its maximum.
  let yMax = 0;
  for (let i = 0; i < ys.length; i++) yMax = Math.max(yMax, ys[i]);
  let r0 = 0;
  if (options.fitRadius) {
    for (let i = 0; i < xs.length; i++) if (ys[i] < 0.01 * yMax && xs[i] > r0) r0 = xs[i];
  }
  // Algebraic start on u = x − r0: y = A·u − B·u·y (linear least squares in A, B).
  let s11 = 0, s12 = 0, s22 = 0, t1 = 0, t2 = 0;
  for (let i = 0; i < xs.length; i++) {
    const u = xs[i] - r0;
    if (u <= 0) continue;
    const c1 = u;
    const c2 = -u * ys[i];
    s11 += c1 * c1; s12 += c1 * c2; s22 += c2 * c2; t1 += c1 * ys[i]; t2 += c2 * ys[i];
  }
  const det = s11 * s22 - s12 * s12;
  let a0 = det !== 0 ? (t1 * s22 - t2 * s12) / det : 1;
  let b0 = det !== 0 ? (s11 * t2 - s12 * t1) / det : 0;
  if (!(a0 > 0) || !Number.isFinite(a0)) a0 = 1;
  if (!Number.isFinite(b0) || b0 <= -0.9) b0 = 0;
  // Fit in log-space for A and (1 + B) to keep them positive and well scaled.
  const model = (t: number[], x: number): number => branchValue({ a: Math.exp(t[0]), b: Math.exp(t[1]) - 1, r: options.fitRadius ? t[2] : 0 }, x);
  const theta0 = options.fitRadius ? [Math.log(a0), Math.log(1 + b0), r0] : [Math.log(a0), Math.log(1 + b0)];
  const project = (t: number[]): number[] => (options.fitRadius ? [t[0], t[1], Math.min(0.95, Math.max(0, t[2]))] : t);
  const lm = levenbergMarquardt(model, xs, ys, theta0, { project });
  const params: BranchParams = { a: Math.exp(lm.theta[0]), b: Math.exp(lm.theta[1]) - 1, r: options.fitRadius ? lm.theta[2] : 0 };
  let maxRes = 0;
  for (let i = 0; i < xs.length; i++) maxRes = Math.max(maxRes, Math.abs(ys[i] - branchValue(params, xs[i])));
  const result: FitResult = { params, rmsResidual: lm.rms, maxResidual: maxRes, iterations: lm.iterations, converged: lm.converged };
  if (!lm.converged || !Number.isFinite(lm.rms) || (options.maxRms !== undefined && lm.rms > options.maxRms)) {
    // Say where it stopped: A and B both large means the samples approach a step (W_b jumping to ≈ 1 just past r),
    // which the compact form reaches only in the limit A, B → ∞, so the fit creeps on until its iteration budget ends.
    const last = `; stopped at A = ${params.a.toPrecision(4)}, B = ${params.b.toPrecision(4)}, r = ${params.r.toPrecision(4)}`;
    const hint = !lm.converged && params.a > 1e4 && params.b > 1e4 ? " (A and B above 10⁴: the samples are close to a step, which the compact form reaches only as A, B → ∞)" : "";
    throw new FitNotConvergedError(lm.rms, lm.iterations, what, last + hint);
  }
  return result;
}

/**
 * Sample grid on [0, 1] for fitting and comparing transfer functions: `linear` evenly spaced points plus
 * `geometric` log-spaced points from 1e-4 (the steep part near W_h = 0 is only 1/B wide).
 */
export function transferGrid(linear = 101, geometric = 60): number[] {
  const xs = new Set<number>();
  for (let i = 0; i < linear; i++) xs.add(i / (linear - 1));
  for (let i = 0; i < geometric; i++) xs.add(1e-4 * Math.pow(1e4, i / (geometric - 1)));
  return [...xs].sort((a, b) => a - b);
}
