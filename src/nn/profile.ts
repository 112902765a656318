/** Wrap a matmul backend to count calls and time spent in it (for the benchmark's time split). */
import type { MatMulBackend } from "./matmul";

export function profiled(inner: MatMulBackend): { backend: MatMulBackend; report: (reset: boolean) => { matmulMs: number; calls: number } } {
  let ms = 0;
  let calls = 0;
  const backend: MatMulBackend = {
    name: inner.name,
    matmul(a, b, m, k, n, out) {
      const t = performance.now();
      const c = inner.matmul(a, b, m, k, n, out);
      ms += performance.now() - t;
      calls++;
      return c;
    },
  };
  return {
    backend,
    report(reset) {
      const r = { matmulMs: ms, calls };
      if (reset) {
        ms = 0;
        calls = 0;
      }
      return r;
    },
  };
}
