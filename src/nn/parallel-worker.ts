/**
 * Worker side of src/nn/parallel.ts: computes the rows of a product or the element range of an Adam
 * update it is sent, in shared memory, then bumps the shared counter to the message's sequence number.
 */
import { parentPort, workerData } from "worker_threads";
import { wasmMatMul } from "./wasm-backend";
import { adamUpdateRange, type AdamCoefficients } from "./metaplastic-adam";

const ctrl = new Int32Array(workerData.ctrl as SharedArrayBuffer);

interface MatmulMsg { op: "matmul"; seq: number; a: SharedArrayBuffer; b: SharedArrayBuffer; c: SharedArrayBuffer; m: number; k: number; n: number }
interface AdamMsg { op: "adam"; seq: number; c: AdamCoefficients; items: { w: SharedArrayBuffer; g: SharedArrayBuffer; m: SharedArrayBuffer; v: SharedArrayBuffer; i0: number; i1: number; metaplastic: boolean; clip: number }[] }

function done(seq: number): void {
  Atomics.store(ctrl, 0, seq);
  Atomics.notify(ctrl, 0);
}

wasmMatMul().then((mm) => {
  parentPort!.on("message", (msg: MatmulMsg | AdamMsg) => {
    try {
      if (msg.op === "matmul") {
        const { m, k, n } = msg;
        const out = mm.matmul(new Float32Array(msg.a, 0, m * k), new Float32Array(msg.b, 0, k * n), m, k, n);
        new Float32Array(msg.c, 0, m * n).set(out);
      } else {
        for (const it of msg.items) adamUpdateRange(new Float32Array(it.w), new Float32Array(it.g), new Float32Array(it.m), new Float32Array(it.v), it.i0, it.i1, msg.c, it.metaplastic, it.clip);
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
