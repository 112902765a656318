/**
 * Relative programming error on the hidden weights (Yang Fig 7d,e, S33, Table S4): when a device is written,
 * the stored value lands at W_h·(1 + σ·ε), ε ~ N(0, 1), and training goes on from that value, so errors
 * accumulate over the writes ("larger errors accumulate during training", §2.4).
 *
 * When is a device written? The paper does not say. Three readings, selectable by name:
 * - `"every-update"` (this project's model, the default): in-situ training moves every hidden weight at every
 *   optimizer step (Adam's step is never exactly zero), so every device is written after every step.
 * - `"level-change"`: the device stores one of the 2^n states of the n-bit hidden weight and is reprogrammed
 *   only when the optimizer moves the weight into another state (Q_n level, see quantizers.ts). Without a
 *   quantizer (float hidden weights) every update is a write, as in `"every-update"`.
 * - `"every-epoch"`: the trained hidden weights are mapped onto the devices once after every epoch.
 *
 * Why `"every-update"` (assumed; the three are compared by src/experiments/programming-error-writes.ts in notebook
 * 06): it is the reading under which σ = 50 % degrades training clearly, at short and at long training alike.
 * Under `"level-change"` a weight is rewritten only when it changes state, rarely while it moves and never once it
 * rests at the bound, and σ = 50 % costs almost nothing. `"every-epoch"` keeps σ = 20 % almost harmless and loses
 * more at σ = 50 % as training gets longer, but a few points rather than a clear degradation. The catch of
 * `"every-update"`: the error is drawn at every step, so the loss at σ = 20 % grows over the first few hundred
 * steps to a floor of several points and then stays flat. The paper's Table S4 itself describes a trade-off
 * between training duration and accuracy under programming error. At paper scale (notebook 06's full mode) this
 * makes the σ = 20 % entry of the registry a declared full-mode known miss; the reading was fixed before that run
 * and is kept. Notebook 06 also runs the paper-scale Fig 7d protocol under `"every-epoch"`: neither reading gives
 * all of Fig 7d and S33 (the registry's known-miss reason has the numbers).
 *
 * Written values: `"every-update"` keeps the unclipped value until the optimizer's next clip (this project's first
 * model, kept bit for bit); the other two clip it to the hidden-weight range ±bound (the device's window).
 */
import type { Rng } from "../util/rng";
import { hiddenLevelIndexer } from "./quantizers";

/** Which optimizer writes carry a programming error (see the module comment). */
export type ProgrammingErrorWrites = "every-update" | "level-change" | "every-epoch";

export const PROGRAMMING_ERROR_WRITES: readonly ProgrammingErrorWrites[] = Object.freeze(["every-update", "level-change", "every-epoch"]);

/** The settings {@link ProgrammingErrorWriter} reads from a network's weight path. */
export interface ProgrammingErrorConfig {
  /** Relative error σ (dimensionless, ≥ 0); 0 disables the error. */
  programmingNoiseRel: number;
  /** Which writes carry it; absent = `"every-update"`. */
  programmingErrorWrites?: ProgrammingErrorWrites;
  /** Hidden-weight quantizer bits (null = float). */
  hiddenBits: number | null;
  /** Hidden-weight range ±bound. */
  hiddenBound: number;
}

/** Throws unless `writes` is one of {@link PROGRAMMING_ERROR_WRITES} (undefined is allowed: the default). */
export function validateProgrammingErrorWrites(writes: unknown): void {
  if (writes !== undefined && !PROGRAMMING_ERROR_WRITES.includes(writes as ProgrammingErrorWrites)) {
    throw new RangeError(`programmingErrorWrites must be one of ${PROGRAMMING_ERROR_WRITES.join(", ")}, got ${JSON.stringify(writes)}`);
  }
}

/**
 * Applies the programming error: call {@link beforeUpdate} with the hidden weights just before each optimizer
 * step, {@link afterUpdate} just after it, and {@link afterEpoch} at the end of each epoch; each does what its
 * write model asks and nothing otherwise. Holds no training state of its own (the level of a weight is a function
 * of its value), so a run restored from a snapshot at an epoch boundary continues bit-identically.
 */
export class ProgrammingErrorWriter {
  readonly sigma: number;
  readonly writes: ProgrammingErrorWrites;
  private readonly levelsBefore: Uint8Array[] = [];
  private readonly bits: number;
  private readonly bound: number;
  /** Writes that carried an error since construction (for diagnostics and tests). */
  writeCount = 0;

  constructor(cfg: ProgrammingErrorConfig, hidden: readonly Float32Array[]) {
    validateProgrammingErrorWrites(cfg.programmingErrorWrites);
    this.sigma = cfg.programmingNoiseRel;
    const writes = cfg.programmingErrorWrites ?? "every-update";
    this.writes = writes === "level-change" && cfg.hiddenBits === null ? "every-update" : writes;
    this.bound = cfg.hiddenBound;
    this.bits = cfg.hiddenBits ?? 1;
    this.level = hiddenLevelIndexer(this.bits, this.bound);
    const levels = 2 ** this.bits;
    if (this.sigma > 0 && this.writes === "level-change") {
      if (levels > 256) throw new RangeError(`level-change programming error supports at most 8 hidden bits, got ${cfg.hiddenBits}`);
      for (const h of hidden) this.levelsBefore.push(new Uint8Array(h.length));
    }
  }

  /** Whether the writer does anything (σ > 0). */
  get active(): boolean {
    return this.sigma > 0;
  }

  /** Q_n level index of a hidden weight (validated once, for the per-weight loops). */
  private readonly level: (v: number) => number;

  /** Records each weight's stored state before the optimizer step. */
  beforeUpdate(hidden: readonly Float32Array[]): void {
    if (!this.active || this.writes !== "level-change") return;
    hidden.forEach((h, l) => {
      const lv = this.levelsBefore[l];
      for (let i = 0; i < h.length; i++) lv[i] = this.level(h[i]);
    });
  }

  /** Every-epoch model: rewrites every weight, clipped to ±bound. */
  afterEpoch(hidden: Float32Array[], rng: Rng): void {
    if (!this.active || this.writes !== "every-epoch") return;
    const b = this.bound;
    for (const h of hidden)
      for (let i = 0; i < h.length; i++) {
        const v = h[i] * (1 + this.sigma * rng.normal());
        h[i] = v > b ? b : v < -b ? -b : v;
      }
    this.writeCount += hidden.reduce((s, h) => s + h.length, 0);
  }

  /** Puts the error on every weight the step wrote, drawing ε from `rng` in weight order. */
  afterUpdate(hidden: Float32Array[], rng: Rng): void {
    if (!this.active || this.writes === "every-epoch") return;
    const sigma = this.sigma;
    if (this.writes === "every-update") {
      for (const h of hidden) for (let i = 0; i < h.length; i++) h[i] *= 1 + sigma * rng.normal();
      this.writeCount += hidden.reduce((s, h) => s + h.length, 0);
      return;
    }
    const b = this.bound;
    hidden.forEach((h, l) => {
      const lv = this.levelsBefore[l];
      for (let i = 0; i < h.length; i++) {
        if (this.level(h[i]) === lv[i]) continue;
        const v = h[i] * (1 + sigma * rng.normal());
        h[i] = v > b ? b : v < -b ? -b : v;
        this.writeCount++;
      }
    });
  }
}
