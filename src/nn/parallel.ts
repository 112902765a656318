/**
 * Two-core execution for the large networks: the main thread and one worker thread split every large
 * matrix product by columns (C[:, 0:h] on the main thread, C[:, h:n] in the worker, both with tfjs-wasm), every
 * large optimizer update and binarization by element ranges. Commands go through a shared command block
 * (no postMessage on the hot path: it cost about a millisecond per message here): the main thread writes
 * the worker's half, bumps a shared counter (Atomics.notify), computes its own half, then waits
 * (Atomics.wait) for the worker's counter.
 *
 * Data the worker touches lives in SharedArrayBuffers: matrix operands not already there are copied into
 * shared scratch buffers (a few MB per batch). The optimizer works in a shared
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
import { OP_ADAM, OP_COLUMNS, OP_EXIT, OP_STAIRCASE } from "./parallel-protocol";
import { TRANS_A, TRANS_B, wasmMatMul, type WasmProducts } from "./wasm-backend";
import type { MatMulBackend } from "./matmul";
import { adamCoefficients, adamUpdateRange, initAdam, type AdamConfig, type AdamState, type ParamSlot } from "./metaplastic-adam";
import { createSimdArena } from "./simd-adam";
import { binarizerLevelIndexer, hiddenLevels, makeBinarizer, type WeightPathConfig } from "./quantizers";
import { idealSign } from "../mtt/transfer-function";

/**
 * Adam state whose moments for large tensors live in the shared arena and are reused (zeroed) at every new
 * task or restore, keyed by the tensor itself: the arena is a bump allocator and must not grow per task.
 */
function initArenaAdam(
  slots: readonly ParamSlot[],
  inArenaPath: (p: ParamSlot) => boolean,
  arena: { alloc(n: number): Float32Array },
  moments: WeakMap<Float32Array, { m: Float32Array; v: Float32Array }>,
): AdamState {
  const st = initAdam(slots);
  slots.forEach((p, s) => {
    if (!inArenaPath(p)) return;
    let mv = moments.get(p.value);
    if (!mv) {
      mv = { m: arena.alloc(p.value.length), v: arena.alloc(p.value.length) };
      moments.set(p.value, mv);
    }
    mv.m.fill(0);
    mv.v.fill(0);
    st.m[s] = mv.m;
    st.v[s] = mv.v;
  });
  return st;
}

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
  /** Threads the products and the optimizer run on (1 or 2). */
  readonly threads: number;
  matmul: MatMulBackend;
  optimizer: OptimizerBackend;
  allocate(n: number): Float32Array;
  binarizer(cfg: WeightPathConfig): (hidden: Float32Array, out: Float32Array) => void;
}

export interface ParallelPool extends Accelerator {
  close(): Promise<void>;
}

/** Below this many multiply-adds a product runs on the main thread only. */
const MIN_PARALLEL_MACS = 2e6;
/** Below this many elements an update runs on the main thread only. */
const MIN_PARALLEL_ELEMENTS = 1 << 16;

/**
 * Start the worker and initialise tfjs-wasm on both threads (`threads: 1`: no worker, the same SIMD
 * kernels and arena on the calling thread only — the better choice when the other core is busy).
 * `arenaBytes`: size of the shared memory
 * holding hidden weights, inference weights, Adam moments, gradient copies and product scratch
 * (about 6 × 4 bytes per weight plus a few MB).
 */
export async function createParallelPool(opts: { arenaBytes?: number; threads?: 1 | 2 } = {}): Promise<ParallelPool> {
  const threads = opts.threads ?? 2;
  const local = await wasmMatMul();
  const arena = createSimdArena(opts.arenaBytes ?? 128 * 2 ** 20);
  const ctrl = new Int32Array(new SharedArrayBuffer(16));
  const cmd = new Float64Array(new SharedArrayBuffer(8 * 64));
  if (threads === 1) return singleThread(local, arena);
  // A tiny CommonJS bootstrap registers tsx's require hook in the worker, then loads the TypeScript worker.
  const bootstrap = `require(${JSON.stringify(require.resolve("tsx/cjs/api"))}).register(); require(${JSON.stringify(path.join(__dirname, "parallel-worker.ts"))});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { ctrl: ctrl.buffer, cmd: cmd.buffer, memory: arena.memory, pages: arena.memory.buffer.byteLength / 65536 } });
  worker.unref();
  let seq = 0;
  let failure: Error | null = null;
  worker.on("error", (e) => {
    failure = e;
  });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", (m) => (m === "ready" ? resolve() : reject(new Error(String(m)))));
    worker.once("error", reject);
  });
  const post = (op: number, args: number[]) => {
    cmd[0] = op;
    for (let i = 0; i < args.length; i++) cmd[1 + i] = args[i];
    seq++;
    Atomics.store(ctrl, 1, seq);
    Atomics.notify(ctrl, 1);
  };
  const waitWorker = () => {
    for (;;) {
      const now = Atomics.load(ctrl, 0);
      if (now === seq) return;
      if (now < 0) throw new Error("parallel worker failed (its error is printed on stderr)");
      if (failure) throw failure;
      Atomics.wait(ctrl, 0, now, 30000);
    }
  };

  // Product scratch in the arena (grown by re-allocation; the arena is a bump allocator).
  let aBuf = arena.alloc(4);
  let bBuf = arena.alloc(4);
  let cBuf = arena.alloc(4);
  const grads = new Map<number, Float32Array>();

  /**
   * C = A·B (or A·Bᵀ) split by columns of C: the worker computes columns h … n−1, this thread 0 … h−1, so
   * each packs only its half of B (see wasm-backend.ts for why that is the cost that matters).
   */
  const split = (a: Float32Array, b: Float32Array, m: number, k: number, n: number, dest: Float32Array | undefined, flags: number): Float32Array => {
    if (m * k * n < MIN_PARALLEL_MACS || n < 16) {
      const out = dest ?? new Float32Array(m * n);
      local.columns(a, b, m, k, n, 0, n, out, flags);
      return out;
    }
    const h = Math.max(8, Math.round(n / 16) * 8);
    // Operands already in the arena are read in place; others are copied into scratch.
    let aIn = a.subarray(0, m * k);
    if (!arena.owns(a)) {
      if (aBuf.length < m * k) aBuf = arena.alloc(m * k);
      aIn = aBuf.subarray(0, m * k);
      aIn.set(a.subarray(0, m * k));
    }
    let bIn = b.subarray(0, k * n);
    if (!arena.owns(b)) {
      if (bBuf.length < k * n) bBuf = arena.alloc(k * n);
      bIn = bBuf.subarray(0, k * n);
      bIn.set(b.subarray(0, k * n));
    }
    // Both threads write straight into `dest` when that lives in the arena, else into scratch.
    const direct = dest !== undefined && arena.owns(dest) && dest.length >= m * n;
    if (!direct && cBuf.length < m * n) cBuf = arena.alloc(m * n);
    const c = direct ? dest : cBuf.subarray(0, m * n);
    post(OP_COLUMNS, [aIn.byteOffset, bIn.byteOffset, c.byteOffset, m, k, n, h, n, flags]);
    local.columns(aIn, bIn, m, k, n, 0, h, c, flags);
    waitWorker();
    if (direct) return dest;
    const out = dest ?? new Float32Array(m * n);
    out.set(c);
    return out;
  };
  const matmul: MatMulBackend = {
    name: "tfjs-wasm×2 threads",
    matmul: (a, b, m, k, n, dest) => split(a, b, m, k, n, dest, 0),
    matmulTransA: (a, b, m, k, n, dest) => split(a, b, m, k, n, dest, TRANS_A),
    matmulTransB: (a, b, m, k, n, dest) => split(a, b, m, k, n, dest, TRANS_B),
  };

  const inArena = (a: Float32Array) => arena.owns(a);
  const moments = new WeakMap<Float32Array, { m: Float32Array; v: Float32Array }>();
  const optimizer: OptimizerBackend = {
    init: (slots) => initArenaAdam(slots, (p) => p.value.length >= MIN_PARALLEL_ELEMENTS && inArena(p.value), arena, moments),
    step(slots, state, cfg) {
      state.step += 1;
      const c = adamCoefficients(cfg, state.step);
      const items: number[] = [];
      const simdMine: [number, Float32Array, number][] = [];
      const jsMine: [number, number, number][] = [];
      slots.forEach((p, s) => {
        const n = p.value.length;
        if (n >= MIN_PARALLEL_ELEMENTS && inArena(p.value) && inArena(state.m[s]) && inArena(state.v[s])) {
          let g: Float32Array;
          if (inArena(p.grad)) g = p.grad;
          else {
            let buf = grads.get(s);
            if (!buf || buf.length !== n) {
              buf = arena.alloc(n);
              grads.set(s, buf);
            }
            buf.set(p.grad);
            g = buf;
          }
          const n4 = n - (n % 4);
          const h = (n4 >> 3) << 2;
          items.push(p.value.byteOffset, g.byteOffset, state.m[s].byteOffset, state.v[s].byteOffset, h, n4, p.metaplastic ? 1 : 0, p.clip);
          simdMine.push([s, g, h]);
          if (n4 < n) jsMine.push([s, n4, n]);
        } else jsMine.push([s, 0, n]);
      });
      const remote = items.length > 0;
      if (remote) post(OP_ADAM, [items.length / 8, c.beta1, c.beta2, c.eps, c.meta, c.stepSize, c.invSqrtBc2, ...items]);
      for (const [s, g, h] of simdMine) arena.adam(slots[s].value, g, state.m[s], state.v[s], 0, h, c, slots[s].metaplastic, slots[s].clip);
      for (const [s, i0, i1] of jsMine) {
        const p = slots[s];
        adamUpdateRange(p.value, p.grad, state.m[s], state.v[s], i0, i1, c, p.metaplastic, p.clip);
      }
      if (remote) waitWorker();
    },
  };

  const binarizer = (cfg: WeightPathConfig) =>
    staircaseBinarizer(arena, cfg, (hidden, out, n4, t) => {
      const h = (n4 >> 3) << 2;
      post(OP_STAIRCASE, [hidden.byteOffset, out.byteOffset, t.thr.byteOffset, t.dl.byteOffset, t.thr.length, h, n4, t.base]);
      arena.staircase(hidden, out, 0, h, t.thr, t.dl, t.base);
      waitWorker();
    });

  return {
    threads: 2,
    matmul,
    optimizer,
    binarizer,
    allocate: (n: number) => arena.alloc(n),
    async close() {
      post(OP_EXIT, []);
      await worker.terminate();
    },
  };
}

/** The accelerator without a worker: tfjs-wasm products, SIMD Adam and binarization on this thread. */
function singleThread(local: WasmProducts, arena: ReturnType<typeof createSimdArena>): ParallelPool {
  const moments = new WeakMap<Float32Array, { m: Float32Array; v: Float32Array }>();
  const big = (p: ParamSlot) => p.value.length >= MIN_PARALLEL_ELEMENTS && arena.owns(p.value);
  const optimizer: OptimizerBackend = {
    init: (slots) => initArenaAdam(slots, big, arena, moments),
    step(slots, state, cfg) {
      state.step += 1;
      const c = adamCoefficients(cfg, state.step);
      slots.forEach((p, s) => {
        const n = p.value.length;
        if (big(p) && arena.owns(p.grad) && arena.owns(state.m[s]) && arena.owns(state.v[s])) {
          const n4 = n - (n % 4);
          arena.adam(p.value, p.grad, state.m[s], state.v[s], 0, n4, c, p.metaplastic, p.clip);
          if (n4 < n) adamUpdateRange(p.value, p.grad, state.m[s], state.v[s], n4, n, c, p.metaplastic, p.clip);
        } else adamUpdateRange(p.value, p.grad, state.m[s], state.v[s], 0, n, c, p.metaplastic, p.clip);
      });
    },
  };
  const binarizer = (cfg: WeightPathConfig) => staircaseBinarizer(arena, cfg, (hidden, out, n4, t) => arena.staircase(hidden, out, 0, n4, t.thr, t.dl, t.base));
  return {
    threads: 1,
    matmul: { name: "tfjs-wasm, SIMD optimizer", matmul: local.matmul, matmulTransA: local.matmulTransA, matmulTransB: local.matmulTransB },
    optimizer,
    binarizer,
    allocate: (n: number) => arena.alloc(n),
    close: async () => undefined,
  };
}

/**
 * W_b = f(Q_n(W_h)) as a staircase (see simd-adam.ts): levels L_k of the quantizer, thresholds at the
 * midpoints, steps f(L_k) − f(L_{k−1}); the ideal sign is one step. Tables live in the arena; `simd` runs
 * the kernel on elements 0 … n4−1 (a multiple of 4), the JS binarizer does the tail. Continuous hidden
 * weights with a non-sign transfer function, arrays outside the arena and small layers use the JS binarizer.
 */
function staircaseBinarizer(
  arena: ReturnType<typeof createSimdArena>,
  cfg: WeightPathConfig,
  simd: (hidden: Float32Array, out: Float32Array, n4: number, tables: { thr: Float32Array; dl: Float32Array; base: number }) => void,
): (hidden: Float32Array, out: Float32Array) => void {
  const js = makeBinarizer(cfg);
  const stairs = staircaseOf(cfg);
  if (!stairs) return js;
  const tables = { thr: arena.alloc(stairs.thresholds.length), dl: arena.alloc(stairs.thresholds.length), base: stairs.base };
  tables.thr.set(stairs.thresholds);
  tables.dl.set(stairs.deltas);
  return (hidden, out) => {
    const n = hidden.length;
    if (!arena.owns(hidden) || !arena.owns(out) || n < MIN_PARALLEL_ELEMENTS) return js(hidden, out);
    const n4 = n - (n % 4);
    simd(hidden, out, n4, tables);
    if (n4 < n) js(hidden.subarray(n4), out.subarray(n4));
  };
}

/**
 * The smallest float32 that `level` sends to level k or above, by bisection over the float32s between the levels
 * L_{k−1} and L_k (`level` is monotone). The kernel compares float32 hidden weights with float32 thresholds
 * (w ≥ thr), and the midpoint rounded to float32 can land on the wrong side: −2/7 rounds below −2/7, where the table
 * look-up still picks the lower level, and float64 rounding in (W_h + bound) sends the float32s just below 0 to the
 * upper of the two middle levels. The first float32 of level k agrees with the table look-up everywhere.
 */
function firstFloat32AtLevel(lower: number, upper: number, k: number, level: (w: number) => number): number {
  const f32 = new Float32Array(1);
  const bits = new Int32Array(f32.buffer);
  // Float32s in value order as integers: +x keeps its bit pattern, −x becomes minus the pattern of +x (±0 → 0).
  const order = (x: number): number => {
    f32[0] = x;
    return bits[0] >= 0 ? bits[0] : -(bits[0] & 0x7fffffff);
  };
  const value = (o: number): number => {
    bits[0] = o >= 0 ? o : -o | 0x80000000;
    return f32[0];
  };
  let lo = order(lower); // level(lower) < k
  let hi = order(upper); // level(upper) ≥ k
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (level(value(mid)) >= k) hi = mid;
    else lo = mid;
  }
  return value(hi);
}

/** The staircase form of W_b = f(Q_n(W_h)), or null when the weight path is not a staircase. */
function staircaseOf(cfg: WeightPathConfig): { thresholds: number[]; deltas: number[]; base: number } | null {
  let thresholds: number[];
  let values: number[];
  if (cfg.transfer === idealSign) {
    thresholds = [0];
    values = [-1, 1];
  } else if (cfg.hiddenBits !== null) {
    const lv = hiddenLevels(cfg.hiddenBits, cfg.hiddenBound);
    const level = binarizerLevelIndexer(cfg.hiddenBits, cfg.hiddenBound);
    thresholds = lv.slice(1).map((l, i) => firstFloat32AtLevel(lv[i], l, i + 1, level));
    values = lv.map((l) => cfg.transfer.apply(l / cfg.hiddenBound));
  } else return null;
  return { thresholds, deltas: values.slice(1).map((v, i) => v - values[i]), base: values[0] };
}
