/** Wrap a matmul backend to count calls and time spent in it, in total and per product shape (for the benchmark's time split). */
import type { MatMulBackend } from "./matmul";

export interface MatMulProfile {
  matmulMs: number;
  calls: number;
  /** Per shape "m×k×n": total milliseconds and calls. */
  byShape: Map<string, { ms: number; calls: number }>;
}

export function profiled(inner: MatMulBackend): { backend: MatMulBackend; report: (reset: boolean) => MatMulProfile } {
  let ms = 0;
  let calls = 0;
  let byShape = new Map<string, { ms: number; calls: number }>();
  const timed = (key: string, run: () => Float32Array): Float32Array => {
    const t = performance.now();
    const c = run();
    const dt = performance.now() - t;
    ms += dt;
    calls++;
    const s = byShape.get(key) ?? { ms: 0, calls: 0 };
    s.ms += dt;
    s.calls++;
    byShape.set(key, s);
    return c;
  };
  const backend: MatMulBackend = {
    name: inner.name,
    matmul: (a, b, m, k, n, out) => timed(`${m}×${k}×${n}`, () => inner.matmul(a, b, m, k, n, out)),
    ...(inner.matmulTransA ? { matmulTransA: (a: Float32Array, b: Float32Array, m: number, k: number, n: number, out?: Float32Array) => timed(`${m}ᵀ×${k}×${n}`, () => inner.matmulTransA!(a, b, m, k, n, out)) } : {}),
    ...(inner.matmulTransB ? { matmulTransB: (a: Float32Array, b: Float32Array, m: number, k: number, n: number, out?: Float32Array) => timed(`${m}×${k}×${n}ᵀ`, () => inner.matmulTransB!(a, b, m, k, n, out)) } : {}),
  };
  return {
    backend,
    report(reset) {
      const r = { matmulMs: ms, calls, byShape };
      if (reset) {
        ms = 0;
        calls = 0;
        byShape = new Map();
      }
      return r;
    },
  };
}
