/**
 * Two-core execution for the large networks: the main thread and one worker thread split every large
 * matrix product by rows (C[0:h] on the main thread, C[h:m] in the worker, both with tfjs-wasm) and every
 * large optimizer update by element ranges. Synchronisation is a shared counter (Atomics.wait/notify):
 * the main thread posts the worker's half, computes its own, then waits for the worker.
 *
 * Data the worker touches lives in SharedArrayBuffers: matrix operands are copied into shared scratch
 * buffers (the worker's rows of A, all of B; a few MB per batch). The optimizer works in a shared
 * WebAssembly memory (simd-adam.ts): hidden weights must be allocated there
 * (`createNetwork(..., { allocate: pool.allocate })`); the pool allocates the Adam moments and gradient
 * copies there itself, and both threads run the SIMD kernel on half of each tensor. Small products and
 * small tensors stay on the main thread (plain JS).
 *
 * The worker runs src/nn/parallel-worker.ts through tsx's require hook, so the Adam kernel and the
 * matmul backend exist once, in TypeScript.
 */
import * as path from "path";
import { Worker } from "worker_threads";
import { wasmMatMul } from "./wasm-backend";
import type { MatMulBackend } from "./matmul";
import { adamCoefficients, adamUpdateRange, initAdam, type AdamConfig, type AdamState, type ParamSlot } from "./metaplastic-adam";
import { createSimdArena } from "./simd-adam";
import { hiddenLevels, makeBinarizer, type WeightPathConfig } from "./quantizers";
import { idealSign } from "../mtt/transfer-function";

/** How the trainer initialises and applies its optimizer (serial by default). */
export interface OptimizerBackend {
  init(slots: readonly ParamSlot[]): AdamState;
  step(slots: readonly ParamSlot[], state: AdamState, cfg: AdamConfig): void;
}

/**
 * Everything a Trainer can delegate: products, the optimizer step, where its arrays live, and the
 * hidden → inference weight pass.
 */
export interface Accelerator {
  matmul: MatMulBackend;
  optimizer: OptimizerBackend;
  allocate(n: number): Float32Array;
  binarizer(cfg: WeightPathConfig): (hidden: Float32Array, out: Float32Array) => void;
}

export interface ParallelPool extends Accelerator {
  readonly threads: number;
  /** Allocate a float32 array in the pool's shared SIMD arena: pass to `createNetwork(..., { allocate })`. */
  allocate(n: number): Float32Array;
  close(): Promise<void>;
}

/** Below this many multiply-adds a product runs on the main thread only. */
const MIN_PARALLEL_MACS = 2e6;
/** Below this many elements an update runs on the main thread only. */
const MIN_PARALLEL_ELEMENTS = 1 << 16;

function isSab(a: Float32Array): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

function sharedF32(n: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(4 * Math.max(1, n)));
}

/**
 * Start the worker and initialise tfjs-wasm on both threads. `arenaBytes`: size of the shared memory
 * holding hidden weights, Adam moments and gradient copies (4 × 4 bytes per weight is enough).
 */
export async function createParallelPool(opts: { arenaBytes?: number } = {}): Promise<ParallelPool> {
  const local = await wasmMatMul();
  const arena = createSimdArena(opts.arenaBytes ?? 128 * 2 ** 20);
  const ctrl = new Int32Array(new SharedArrayBuffer(8));
  // A tiny CommonJS bootstrap registers tsx's require hook in the worker, then loads the TypeScript worker.
  const bootstrap = `require(${JSON.stringify(require.resolve("tsx/cjs/api"))}).register(); require(${JSON.stringify(path.join(__dirname, "parallel-worker.ts"))});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { ctrl: ctrl.buffer, memory: arena.memory, pages: arena.memory.buffer.byteLength / 65536 } });
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
      if (!isSab(a) && aBuf.length < (m - h) * k) aBuf = sharedF32((m - h) * k);
      if (!isSab(b) && bBuf.length < k * n) bBuf = sharedF32(k * n);
      if (cBuf.length < (m - h) * n) cBuf = sharedF32((m - h) * n);
      // Operands already in shared memory (the arena) are read in place; others are copied to scratch.
      let aRef: [number, number];
      if (isSab(a)) aRef = [idOf(a.buffer), a.byteOffset + 4 * h * k];
      else {
        aBuf.set(a.subarray(h * k, m * k));
        aRef = [idOf(aBuf.buffer), 0];
      }
      let bRef: [number, number];
      if (isSab(b)) bRef = [idOf(b.buffer), b.byteOffset];
      else {
        bBuf.set(b.subarray(0, k * n));
        bRef = [idOf(bBuf.buffer), 0];
      }
      seq++;
      worker.postMessage({ op: "matmul", seq, a: aRef, b: bRef, c: idOf(cBuf.buffer), m: m - h, k, n });
      const top = local.matmul(a.subarray(0, h * k), b, h, k, n);
      const out = new Float32Array(m * n);
      out.set(top);
      waitWorker(seq);
      out.set(cBuf.subarray(0, (m - h) * n), h * n);
      return out;
    },
  };

  const inArena = (a: Float32Array) => arena.owns(a);
  const optimizer: OptimizerBackend = {
    init(slots) {
      const st = initAdam(slots);
      const big = (p: ParamSlot) => p.value.length >= MIN_PARALLEL_ELEMENTS && inArena(p.value);
      st.m = slots.map((p) => (big(p) ? arena.alloc(p.value.length) : new Float32Array(p.value.length)));
      st.v = slots.map((p) => (big(p) ? arena.alloc(p.value.length) : new Float32Array(p.value.length)));
      return st;
    },
    step(slots, state, cfg) {
      state.step += 1;
      const c = adamCoefficients(cfg, state.step);
      const items: { w: number; g: number; m: number; v: number; i0: number; i1: number; metaplastic: boolean; clip: number }[] = [];
      const simdMine: [number, Float32Array, number][] = [];
      const jsMine: [number, number, number][] = [];
      slots.forEach((p, s) => {
        const n = p.value.length;
        if (n >= MIN_PARALLEL_ELEMENTS && inArena(p.value) && inArena(state.m[s]) && inArena(state.v[s])) {
          let g = grads.get(s);
          if (!g || g.length !== n) {
            g = arena.alloc(n);
            grads.set(s, g);
          }
          g.set(p.grad);
          const n4 = n - (n % 4);
          const h = (n4 >> 3) << 2;
          items.push({ w: p.value.byteOffset, g: g.byteOffset, m: state.m[s].byteOffset, v: state.v[s].byteOffset, i0: h, i1: n4, metaplastic: p.metaplastic, clip: p.clip });
          simdMine.push([s, g, h]);
          if (n4 < n) jsMine.push([s, n4, n]);
        } else jsMine.push([s, 0, n]);
      });
      if (items.length) {
        seq++;
        worker.postMessage({ op: "adam", seq, items, c });
      }
      for (const [s, g, h] of simdMine) arena.adam(slots[s].value, g, state.m[s], state.v[s], 0, h, c, slots[s].metaplastic, slots[s].clip);
      for (const [s, i0, i1] of jsMine) {
        const p = slots[s];
        adamUpdateRange(p.value, p.grad, state.m[s], state.v[s], i0, i1, c, p.metaplastic, p.clip);
      }
      if (items.length) waitWorker(seq);
    },
  };

  /**
   * W_b = f(Q_n(W_h)) as a staircase (see simd-adam.ts): levels L_k of the quantizer, thresholds at the
   * midpoints, steps f(L_k) − f(L_{k−1}); the ideal sign is one step. Continuous hidden weights with a
   * non-sign transfer function fall back to the JS binarizer.
   */
  const binarizer = (cfg: WeightPathConfig) => {
    const js = makeBinarizer(cfg);
    let thresholds: number[];
    let values: number[];
    if (cfg.transfer === idealSign) {
      thresholds = [0];
      values = [-1, 1];
    } else if (cfg.hiddenBits !== null) {
      const lv = hiddenLevels(cfg.hiddenBits, cfg.hiddenBound);
      thresholds = lv.slice(1).map((l, i) => (l + lv[i]) / 2);
      values = lv.map((l) => cfg.transfer.apply(l / cfg.hiddenBound));
    } else return js;
    const thr = arena.alloc(thresholds.length);
    const dl = arena.alloc(thresholds.length);
    thr.set(thresholds);
    dl.set(values.slice(1).map((v, i) => v - values[i]));
    const base = values[0];
    return (hidden: Float32Array, out: Float32Array) => {
      const n = hidden.length;
      if (!arena.owns(hidden) || !arena.owns(out) || n < MIN_PARALLEL_ELEMENTS) return js(hidden, out);
      const n4 = n - (n % 4);
      const h = (n4 >> 3) << 2;
      seq++;
      worker.postMessage({ op: "staircase", seq, w: hidden.byteOffset, out: out.byteOffset, thr: thr.byteOffset, dl: dl.byteOffset, steps: thr.length, i0: h, i1: n4, base });
      arena.staircase(hidden, out, 0, h, thr, dl, base);
      if (n4 < n) js(hidden.subarray(n4), out.subarray(n4));
      waitWorker(seq);
    };
  };

  return {
    threads: 2,
    matmul,
    optimizer,
    binarizer,
    allocate: (n: number) => arena.alloc(n),
    async close() {
      await worker.terminate();
    },
  };
}
