/**
 * Worker side of src/nn/parallel.ts: computes the rows of a product or the element range of an Adam
 * update it is sent, in shared memory, then bumps the shared counter to the message's sequence number.
 */
import { parentPort, workerData } from "worker_threads";
import { wasmMatMul } from "./wasm-backend";
import { adamUpdateRange, type AdamCoefficients } from "./metaplastic-adam";

const ctrl = new Int32Array(workerData.ctrl as SharedArrayBuffer);

interface RegisterMsg { op: "register"; id: number; buf: SharedArrayBuffer }
interface MatmulMsg { op: "matmul"; seq: number; a: number; b: number; c: number; m: number; k: number; n: number }
interface AdamMsg { op: "adam"; seq: number; c: AdamCoefficients; items: { w: number; g: number; m: number; v: number; i0: number; i1: number; metaplastic: boolean; clip: number }[] }

/** Float32 views of the registered shared buffers, by id. */
const views: Float32Array[] = [];

function done(seq: number): void {
  Atomics.store(ctrl, 0, seq);
  Atomics.notify(ctrl, 0);
}

wasmMatMul().then((mm) => {
  parentPort!.on("message", (msg: RegisterMsg | MatmulMsg | AdamMsg) => {
    if (msg.op === "register") {
      views[msg.id] = new Float32Array(msg.buf);
      return;
    }
    try {
      if (msg.op === "matmul") {
        const { m, k, n } = msg;
        const out = mm.matmul(views[msg.a].subarray(0, m * k), views[msg.b].subarray(0, k * n), m, k, n);
        views[msg.c].set(out);
      } else {
        for (const it of msg.items) adamUpdateRange(views[it.w], views[it.g], views[it.m], views[it.v], it.i0, it.i1, msg.c, it.metaplastic, it.clip);
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
