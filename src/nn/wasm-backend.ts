/**
 * The fast matrix-product path: TensorFlow.js's WebAssembly backend (XNNPACK SIMD kernels), loaded
 * from node_modules (the .wasm binaries ship in @tensorflow/tfjs-backend-wasm/dist; nothing is
 * downloaded). Measured on this machine: about 20 GFLOP/s on one core for 100×784·784×1000; its thread
 * pool does not start under Node, so it is single-threaded. Only the product runs in wasm; the engine's
 * element-wise work stays in JavaScript.
 *
 * Cost model (measured, `npx tsx scripts/bench.ts` prints the split): XNNPACK packs its right-hand operand
 * B into a blocked layout and caches that per tensor. Weights change every training step, so every
 * product with W on the right pays a fresh packing, about 6 ms for 784×1000 (as much as the product
 * itself). Hence two rules: (1) keep the large operand on the left, where it is read unpacked: X·W is
 * computed as (Wᵀ·Xᵀ)ᵀ and dZ·Wᵀ as (W·dZᵀ)ᵀ, with the transposes done in wasm (~1 ms for 784×1000);
 * (2) split a product between threads by columns of C, so that each thread handles only its half of W. Both keep every output element's k-sum in the same order, so results are bit-identical to
 * the plain product.
 */
import * as fs from "fs";
import type { MatMulBackend } from "./matmul";

/** Operand layouts for {@link WasmProducts.columns}: A stored k×m (use Aᵀ), B stored n×k (use Bᵀ). */
export const TRANS_A = 1;
export const TRANS_B = 2;

/** The tfjs-wasm products plus the column-block primitive the two-thread pool splits work with. */
export interface WasmProducts extends MatMulBackend {
  matmulTransA(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out?: Float32Array): Float32Array;
  matmulTransB(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out?: Float32Array): Float32Array;
  /**
   * Columns j0 … j1−1 of C = op(A)·op(B) (C m×n), written into those columns of `out` (row stride n).
   * `flags`: {@link TRANS_A} when A is stored k×m, {@link TRANS_B} when B is stored n×k.
   */
  columns(a: Float32Array, b: Float32Array, m: number, k: number, n: number, j0: number, j1: number, out: Float32Array, flags: number): void;
}

let ready: Promise<WasmProducts> | null = null;

/** Initialise the tfjs wasm backend once and return the products that use it. */
export function wasmMatMul(): Promise<WasmProducts> {
  if (ready) return ready;
  ready = (async () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const tf = require("@tensorflow/tfjs-core") as typeof import("@tensorflow/tfjs-core");
    // Registers the "wasm" backend; under Node it reads the .wasm binary next to its own module file.
    require("@tensorflow/tfjs-backend-wasm");
    const binary = require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm");
    if (!fs.existsSync(binary)) throw new Error(`tfjs wasm binary missing: ${binary}`);
    const ok = await tf.setBackend("wasm");
    if (!ok) throw new Error("tfjs wasm backend failed to initialise");
    await tf.ready();
    type Tensor = import("@tensorflow/tfjs-core").Tensor;
    const wasmBackend = tf.backend() as unknown as { typedArrayFromHeap(t: { shape: number[]; dtype: string; dataId: object }): Float32Array };
    const heapView = (t: Tensor): Float32Array =>
      typeof wasmBackend.typedArrayFromHeap === "function" ? wasmBackend.typedArrayFromHeap({ shape: t.shape, dtype: t.dtype, dataId: t.dataId }) : (t.dataSync() as Float32Array);
    const checkShapes = (op: string, a: Float32Array, b: Float32Array, m: number, k: number, n: number, bShape: string) => {
      if (a.length !== m * k) throw new RangeError(`${op}: A has ${a.length} elements, expected ${m}×${k}`);
      if (b.length !== k * n) throw new RangeError(`${op}: B has ${b.length} elements, expected ${bShape}`);
    };
    /** Copy a finished m×w tensor into columns j0 … j0+w−1 of `out` (row stride n). */
    const writeColumns = (t: Tensor, m: number, w: number, n: number, j0: number, out: Float32Array) => {
      const v = heapView(t);
      if (w === n) out.set(v.subarray(0, m * n));
      else for (let i = 0; i < m; i++) out.set(v.subarray(i * w, (i + 1) * w), i * n + j0);
    };
    let gather = new Float32Array(0);

    const columns: WasmProducts["columns"] = (a, b, m, k, n, j0, j1, out, flags) => {
      const transA = (flags & TRANS_A) !== 0;
      const transB = (flags & TRANS_B) !== 0;
      checkShapes("matmul", a, b, m, k, n, transB ? `${n}×${k}` : `${k}×${n}`);
      const w = j1 - j0;
      if (!(j0 >= 0 && j1 <= n && w > 0)) throw new RangeError(`matmul: column block [${j0}, ${j1}) outside 0 … ${n}`);
      // A as m×k ("rows") and as k×m ("cols"), each made at most once, by a transpose in wasm.
      const stored = tf.tensor2d(a, transA ? [k, m] : [m, k]);
      const made: Tensor[] = [stored];
      const aRows = (): Tensor => (transA ? keep(tf.transpose(stored)) : stored);
      const aCols = (): Tensor => (transA ? stored : keep(tf.transpose(stored)));
      const keep = (t: Tensor): Tensor => {
        made.push(t);
        return t;
      };
      let tc: Tensor;
      if (transB) {
        // C[:, j0:j1] = (B[j0:j1] · Aᵀ)ᵀ: the weight rows on the left, unpacked.
        const tb = keep(tf.tensor2d(b.subarray(j0 * k, j1 * k), [w, k]));
        tc = tf.transpose(keep(tf.matMul(tb, aCols())));
      } else {
        let bBlock: Float32Array;
        if (w === n) bBlock = b;
        else {
          if (gather.length < k * w) gather = new Float32Array(k * w);
          bBlock = gather.subarray(0, k * w);
          for (let p = 0; p < k; p++) bBlock.set(b.subarray(p * n + j0, p * n + j1), p * w);
        }
        const tb = keep(tf.tensor2d(bBlock, [k, w]));
        // B the larger operand: C = (Bᵀ·Aᵀ)ᵀ packs only the small Aᵀ (two transposes in wasm cost ~1 ms
        // for 784×1000; packing B would cost ~6 ms).
        tc = w > m ? tf.transpose(keep(tf.matMul(keep(tf.transpose(tb)), aCols()))) : tf.matMul(aRows(), tb);
      }
      writeColumns(tc, m, w, n, j0, out);
      tc.dispose();
      for (const t of made) t.dispose();
    };

    const product = (flags: number) => (a: Float32Array, b: Float32Array, m: number, k: number, n: number, dest?: Float32Array) => {
      const out = dest ?? new Float32Array(m * n);
      columns(a, b, m, k, n, 0, n, out, flags);
      return out;
    };
    const backend: WasmProducts = {
      name: "tfjs-wasm",
      matmul: product(0),
      matmulTransA: product(TRANS_A),
      matmulTransB: product(TRANS_B),
      columns,
    };
    return backend;
  })();
  return ready;
}
