/**
 * Worker side of src/nn/parallel.ts: computes the rows of a product or the element range of an Adam
 * update it is sent, in shared memory, then bumps the shared counter to the message's sequence number.
 */
import { parentPort, workerData } from "worker_threads";
import { wasmMatMul } from "./wasm-backend";
import type { AdamCoefficients } from "./metaplastic-adam";
import { bindArena, type WasmMemory } from "./simd-adam";

const ctrl = new Int32Array(workerData.ctrl as SharedArrayBuffer);
const arena = bindArena(workerData.memory as WasmMemory, workerData.pages as number);
const heap = arena.memory.buffer;

interface RegisterMsg { op: "register"; id: number; buf: SharedArrayBuffer }
interface MatmulMsg { op: "matmul"; seq: number; a: [number, number]; b: [number, number]; c: number; m: number; k: number; n: number }
interface StairMsg { op: "staircase"; seq: number; w: number; out: number; thr: number; dl: number; steps: number; i0: number; i1: number; base: number }
interface AdamMsg { op: "adam"; seq: number; c: AdamCoefficients; items: { w: number; g: number; m: number; v: number; i0: number; i1: number; metaplastic: boolean; clip: number }[] }

/** Float32 views of the registered shared buffers, by id. */
const views: Float32Array[] = [];

function done(seq: number): void {
  Atomics.store(ctrl, 0, seq);
  Atomics.notify(ctrl, 0);
}

wasmMatMul().then((mm) => {
  parentPort!.on("message", (msg: RegisterMsg | MatmulMsg | AdamMsg | StairMsg) => {
    if (msg.op === "register") {
      views[msg.id] = new Float32Array(msg.buf);
      return;
    }
    try {
      if (msg.op === "matmul") {
        const { m, k, n } = msg;
        const a = new Float32Array(views[msg.a[0]].buffer, msg.a[1], m * k);
        const b = new Float32Array(views[msg.b[0]].buffer, msg.b[1], k * n);
        const out = mm.matmul(a, b, m, k, n);
        views[msg.c].set(out);
      } else if (msg.op === "staircase") {
        const at = (off: number, len: number) => new Float32Array(heap, off, len);
        arena.staircase(at(msg.w, msg.i1), at(msg.out, msg.i1), msg.i0, msg.i1, at(msg.thr, msg.steps), at(msg.dl, msg.steps), msg.base);
      } else {
        for (const it of msg.items) {
          // w, g, m, v are byte offsets of whole tensors in the shared arena; update [i0, i1).
          const len = it.i1;
          const at = (off: number) => new Float32Array(heap, off, len);
          arena.adam(at(it.w), at(it.g), at(it.m), at(it.v), it.i0, it.i1, msg.c, it.metaplastic, it.clip);
        }
      }
      done(msg.seq);
    } catch (e) {
      Atomics.store(ctrl, 0, -1);
      Atomics.notify(ctrl, 0);
      throw e;
    }
  });
  parentPort!.postMessage("ready");
});
