/**
 * Worker side of src/nn/parallel.ts. After initialising tfjs-wasm and the SIMD kernels over the shared
 * memory it never returns to its event loop: it blocks on the shared "posted" counter, executes the
 * command in the shared command block (a product's column block, an Adam range, a binarization range, all by
 * byte offsets into the shared memory), and publishes the command's sequence number as "done".
 *
 * Command layouts (float64 slots after the op code):
 *   COLUMNS    aOff, bOff, cOff, m, k, n, j0, j1, flags (columns j0 … j1−1 of C = op(A)·op(B), C m×n)
 *   ADAM       count, β1, β2, ε, meta, stepSize, 1/√bc2, then per tensor: w, g, m, v, i0, i1, metaplastic, clip
 *   STAIRCASE  w, out, thr, dl, steps, i0, i1, base
 */
import { parentPort, workerData } from "worker_threads";
import { wasmMatMul } from "./wasm-backend";
import { bindArena, type WasmMemory } from "./simd-adam";
import { OP_ADAM, OP_COLUMNS, OP_EXIT, OP_STAIRCASE } from "./parallel-protocol";

const ctrl = new Int32Array(workerData.ctrl as SharedArrayBuffer);
const cmd = new Float64Array(workerData.cmd as SharedArrayBuffer);
const arena = bindArena(workerData.memory as WasmMemory, workerData.pages as number);
const heap = arena.memory.buffer;
const at = (off: number, len: number) => new Float32Array(heap, off, len);

wasmMatMul().then((mm) => {
  parentPort!.postMessage("ready");
  let last = 0;
  for (;;) {
    Atomics.wait(ctrl, 1, last);
    const seq = Atomics.load(ctrl, 1);
    if (seq === last) continue;
    last = seq;
    const op = cmd[0];
    if (op === OP_EXIT) return;
    try {
      if (op === OP_COLUMNS) {
        const [aOff, bOff, cOff, m, k, n, j0, j1, flags] = [cmd[1], cmd[2], cmd[3], cmd[4], cmd[5], cmd[6], cmd[7], cmd[8], cmd[9]];
        mm.columns(at(aOff, m * k), at(bOff, k * n), m, k, n, j0, j1, at(cOff, m * n), flags);
      } else if (op === OP_ADAM) {
        const count = cmd[1];
        const c = { beta1: cmd[2], beta2: cmd[3], eps: cmd[4], meta: cmd[5], stepSize: cmd[6], invSqrtBc2: cmd[7] };
        for (let t = 0; t < count; t++) {
          const b = 8 + 8 * t;
          const i1 = cmd[b + 5];
          arena.adam(at(cmd[b], i1), at(cmd[b + 1], i1), at(cmd[b + 2], i1), at(cmd[b + 3], i1), cmd[b + 4], i1, c, cmd[b + 6] === 1, cmd[b + 7]);
        }
      } else if (op === OP_STAIRCASE) {
        const [w, out, thr, dl, steps, i0, i1, base] = [cmd[1], cmd[2], cmd[3], cmd[4], cmd[5], cmd[6], cmd[7], cmd[8]];
        arena.staircase(at(w, i1), at(out, i1), i0, i1, at(thr, steps), at(dl, steps), base);
      }
      Atomics.store(ctrl, 0, seq);
    } catch (e) {
      console.error("parallel worker:", e);
      Atomics.store(ctrl, 0, -1);
    }
    Atomics.notify(ctrl, 0);
  }
});
