/**
 * The fast matrix-product path: TensorFlow.js's WebAssembly backend (XNNPACK SIMD kernels), loaded
 * from node_modules (the .wasm binaries ship in @tensorflow/tfjs-backend-wasm/dist; nothing is
 * downloaded). Measured on this machine: about 20 GFLOP/s on one core for 100×784·784×1000; its thread
 * pool does not start under Node, so it is single-threaded. Only the product runs in wasm; the engine's
 * element-wise work stays in JavaScript.
 */
import * as fs from "fs";
import type { MatMulBackend } from "./matmul";

let ready: Promise<MatMulBackend> | null = null;

/** Initialise the tfjs wasm backend once and return a {@link MatMulBackend} that uses it. */
export function wasmMatMul(): Promise<MatMulBackend> {
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
    const wasmBackend = tf.backend() as unknown as { typedArrayFromHeap(t: { shape: number[]; dtype: string; dataId: object }): Float32Array };
    const heapView = (t: import("@tensorflow/tfjs-core").Tensor): Float32Array =>
      typeof wasmBackend.typedArrayFromHeap === "function" ? wasmBackend.typedArrayFromHeap({ shape: t.shape, dtype: t.dtype, dataId: t.dataId }) : (t.dataSync() as Float32Array);
    const backend: MatMulBackend = {
      name: "tfjs-wasm",
      matmul(a, b, m, k, n, dest) {
        if (a.length !== m * k) throw new RangeError(`matmul: A has ${a.length} elements, expected ${m}×${k}`);
        if (b.length !== k * n) throw new RangeError(`matmul: B has ${b.length} elements, expected ${k}×${n}`);
        const ta = tf.tensor2d(a, [m, k]);
        const tb = tf.tensor2d(b, [k, n]);
        const tc = tf.matMul(ta, tb);
        let out: Float32Array;
        if (dest) {
          // Copy straight from the wasm heap into the caller's array (no intermediate allocation).
          dest.set(heapView(tc));
          out = dest;
        } else out = tc.dataSync() as Float32Array;
        ta.dispose();
        tb.dispose();
        tc.dispose();
        return out;
      },
    };
    return backend;
  })();
  return ready;
}
