/**
 * Dense matrix products for the network engine. Everything is row-major Float32Array.
 *
 * A backend computes C (m×n) = A (m×k) · B (k×n) and may offer the transposed products matmulTransA/B, which
 * the engine's backward pass uses. The wasm backend implements those by transposing in wasm first
 * ({@link transpose} is the JS version), because the tfjs wasm kernel is 10–20 times slower on transposed
 * operands than on plain ones (measured here: 7 ms vs 120–140 ms for 100×784·784×1000).
 */

export interface MatMulBackend {
  /** Short label for benchmarks, e.g. "js" or "tfjs-wasm". */
  readonly name: string;
  /** C = A·B with A m×k and B k×n, row-major; written into `out` (m×n) when given, else a new array. */
  matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out?: Float32Array): Float32Array;
  /**
   * Optional C = A·Bᵀ with A m×k and B n×k, row-major (the backward product dX = dZ·Wᵀ with W as stored).
   * Backends that have it avoid transposing B; see {@link matmulTransposedB} for the fallback.
   */
  matmulTransB?(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out?: Float32Array): Float32Array;
  /** Optional C = Aᵀ·B with A stored k×m and B k×n (the weight gradient dW = Xᵀ·dZ); fallback {@link matmulTransposedA}. */
  matmulTransA?(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out?: Float32Array): Float32Array;
}

/**
 * C (m×n) = Aᵀ · B for A stored k×m: the backend's own `matmulTransA` when it has one, else an explicit
 * transpose of A (into `scratch` when given) and a plain product.
 */
export function matmulTransposedA(backend: MatMulBackend, a: Float32Array, b: Float32Array, m: number, k: number, n: number, out?: Float32Array, scratch?: Float32Array): Float32Array {
  if (backend.matmulTransA) return backend.matmulTransA(a, b, m, k, n, out);
  return backend.matmul(transpose(a, k, m, scratch), b, m, k, n, out);
}

/**
 * C (m×n) = A (m×k) · Bᵀ for B stored n×k: the backend's own `matmulTransB` when it has one, else an
 * explicit transpose of B (into `scratch` when given) and a plain product.
 */
export function matmulTransposedB(backend: MatMulBackend, a: Float32Array, b: Float32Array, m: number, k: number, n: number, out?: Float32Array, scratch?: Float32Array): Float32Array {
  if (backend.matmulTransB) return backend.matmulTransB(a, b, m, k, n, out);
  return backend.matmul(a, transpose(b, n, k, scratch), m, k, n, out);
}

/** Row-major transpose of an r×c matrix into a new c×r matrix (blocked for cache locality). */
export function transpose(a: Float32Array, rows: number, cols: number, out?: Float32Array): Float32Array {
  const t = out ?? new Float32Array(rows * cols);
  const block = 32;
  for (let i0 = 0; i0 < rows; i0 += block) {
    const i1 = Math.min(rows, i0 + block);
    for (let j0 = 0; j0 < cols; j0 += block) {
      const j1 = Math.min(cols, j0 + block);
      for (let i = i0; i < i1; i++) {
        const row = i * cols;
        for (let j = j0; j < j1; j++) t[j * rows + i] = a[row + j];
      }
    }
  }
  return t;
}

/**
 * Plain JavaScript i-p-j loop (the inner loop runs along contiguous rows of B and C). About 0.4–1 GFLOP/s:
 * fine for small networks (2×3×1) and tests, too slow for 784-1000-500-10 training.
 */
export const jsMatMul: MatMulBackend = Object.freeze({
  name: "js",
  matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out?: Float32Array): Float32Array {
    const c = out ? out.fill(0, 0, m * n) : new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      const cRow = i * n;
      const aRow = i * k;
      for (let p = 0; p < k; p++) {
        const av = a[aRow + p];
        if (av === 0) continue;
        const bRow = p * n;
        for (let j = 0; j < n; j++) c[cRow + j] += av * b[bRow + j];
      }
    }
    return c;
  },
});
