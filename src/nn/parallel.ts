/**
 * Two-core execution for the large networks: the main thread and one worker thread split every large
 * matrix product by rows (C[0:h] on the main thread, C[h:m] in the worker, both with tfjs-wasm) and every
 * large optimizer update by element ranges. Synchronisation is a shared counter (Atomics.wait/notify):
 * the main thread posts the worker's half, computes its own, then waits for the worker.
 *
 * Data the worker touches lives in SharedArrayBuffers: matrix operands are copied into shared scratch
 * buffers (the worker's rows of A, all of B; a few MB per batch), and for the optimizer the hidden weights
 * and Adam moments must be allocated shared (`createNetwork(..., { shared: true })`; the pool's optimizer
 * allocates its moments shared). Small products and tensors stay on the main thread.
 *
 * The worker runs src/nn/parallel-worker.ts through tsx's require hook, so the Adam kernel and the
 * matmul backend exist once, in TypeScript.
 */
import * as path from "path";
import { Worker } from "worker_threads";
import { wasmMatMul } from "./wasm-backend";
import type { MatMulBackend } from "./matmul";
import { adamCoefficients, adamUpdateRange, initAdam, type AdamConfig, type AdamState, type ParamSlot } from "./metaplastic-adam";

/** How the trainer initialises and applies its optimizer (serial by default). */
export interface OptimizerBackend {
  init(slots: readonly ParamSlot[]): AdamState;
  step(slots: readonly ParamSlot[], state: AdamState, cfg: AdamConfig): void;
}

export interface ParallelPool {
  readonly threads: number;
  matmul: MatMulBackend;
  optimizer: OptimizerBackend;
  close(): Promise<void>;
}

/** Below this many multiply-adds a product runs on the main thread only. */
const MIN_PARALLEL_MACS = 2e6;
/** Below this many elements an update runs on the main thread only. */
const MIN_PARALLEL_ELEMENTS = 1 << 16;

function sharedF32(n: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(4 * Math.max(1, n)));
}

function isShared(a: Float32Array): boolean {
  return typeof SharedArrayBuffer !== "undefined" && a.buffer instanceof SharedArrayBuffer;
}

/** Start the worker and initialise tfjs-wasm on both threads. */
export async function createParallelPool(): Promise<ParallelPool> {
  const local = await wasmMatMul();
  const ctrl = new Int32Array(new SharedArrayBuffer(8));
  // A tiny CommonJS bootstrap registers tsx's require hook in the worker, then loads the TypeScript worker.
  const bootstrap = `require(${JSON.stringify(require.resolve("tsx/cjs/api"))}).register(); require(${JSON.stringify(path.join(__dirname, "parallel-worker.ts"))});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { ctrl: ctrl.buffer } });
  worker.unref();
  let seq = 0;
  let failure: Error | null = null;
  worker.on("error", (e) => {
    failure = e;
  });
  const waitWorker = (target: number) => {
    for (;;) {
      const now = Atomics.load(ctrl, 0);
      if (now === target) return;
      if (now < 0) throw new Error("parallel worker failed (see its error message)");
      if (failure) throw failure;
      Atomics.wait(ctrl, 0, now, 30000);
    }
  };
  // Handshake: the worker answers op "ready" once its wasm backend is up.
  await new Promise<void>((resolve, reject) => {
    worker.once("message", (m) => (m === "ready" ? resolve() : reject(new Error(String(m)))));
    worker.once("error", reject);
  });

  // Shared buffers are sent to the worker once ("register") and named by id afterwards: posting a
  // SharedArrayBuffer handle in every message costs about a millisecond each.
  const ids = new Map<SharedArrayBuffer, number>();
  const idOf = (b: ArrayBufferLike): number => {
    const sab = b as SharedArrayBuffer;
    let id = ids.get(sab);
    if (id === undefined) {
      id = ids.size;
      ids.set(sab, id);
      worker.postMessage({ op: "register", id, buf: sab });
    }
    return id;
  };
  let aBuf = sharedF32(1);
  let bBuf = sharedF32(1);
  let cBuf = sharedF32(1);
  const grads = new Map<number, Float32Array>();

  const matmul: MatMulBackend = {
    name: "tfjs-wasm×2 threads",
    matmul(a, b, m, k, n) {
      if (m * k * n < MIN_PARALLEL_MACS || m < 2) return local.matmul(a, b, m, k, n);
      const h = m >> 1;
      if (aBuf.length < (m - h) * k) aBuf = sharedF32((m - h) * k);
      if (bBuf.length < k * n) bBuf = sharedF32(k * n);
      if (cBuf.length < (m - h) * n) cBuf = sharedF32((m - h) * n);
      aBuf.set(a.subarray(h * k, m * k));
      bBuf.set(b.subarray(0, k * n));
      seq++;
      worker.postMessage({ op: "matmul", seq, a: idOf(aBuf.buffer), b: idOf(bBuf.buffer), c: idOf(cBuf.buffer), m: m - h, k, n });
      const top = local.matmul(a.subarray(0, h * k), b, h, k, n);
      const out = new Float32Array(m * n);
      out.set(top);
      waitWorker(seq);
      out.set(cBuf.subarray(0, (m - h) * n), h * n);
      return out;
    },
  };

  const optimizer: OptimizerBackend = {
    init(slots) {
      const st = initAdam(slots);
      st.m = slots.map((p) => (p.value.length >= MIN_PARALLEL_ELEMENTS ? sharedF32(p.value.length) : new Float32Array(p.value.length)));
      st.v = slots.map((p) => (p.value.length >= MIN_PARALLEL_ELEMENTS ? sharedF32(p.value.length) : new Float32Array(p.value.length)));
      return st;
    },
    step(slots, state, cfg) {
      state.step += 1;
      const c = adamCoefficients(cfg, state.step);
      const items: { w: number; g: number; m: number; v: number; i0: number; i1: number; metaplastic: boolean; clip: number }[] = [];
      const mine: [number, number, number][] = [];
      slots.forEach((p, s) => {
        const n = p.value.length;
        if (n >= MIN_PARALLEL_ELEMENTS && isShared(p.value) && isShared(state.m[s]) && isShared(state.v[s])) {
          let g = grads.get(s);
          if (!g || g.length !== n) {
            g = sharedF32(n);
            grads.set(s, g);
          }
          const h = n >> 1;
          g.set(p.grad.subarray(h, n), h);
          items.push({ w: idOf(p.value.buffer), g: idOf(g.buffer), m: idOf(state.m[s].buffer), v: idOf(state.v[s].buffer), i0: h, i1: n, metaplastic: p.metaplastic, clip: p.clip });
          mine.push([s, 0, h]);
        } else mine.push([s, 0, n]);
      });
      if (items.length) {
        seq++;
        worker.postMessage({ op: "adam", seq, items, c });
      }
      for (const [s, i0, i1] of mine) {
        const p = slots[s];
        adamUpdateRange(p.value, p.grad, state.m[s], state.v[s], i0, i1, c, p.metaplastic, p.clip);
      }
      if (items.length) waitWorker(seq);
    },
  };

  return {
    threads: 2,
    matmul,
    optimizer,
    async close() {
      await worker.terminate();
    },
  };
}
