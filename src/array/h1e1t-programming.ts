/**
 * Selective two-terminal programming of an MTT array built from horizontal 1E1T (H-1E1T) cells (Yang et
 * al. §2.3, Fig 5a–d, S22, Table S2).
 *
 * Cell: the selector (the MTT unit's reference transistor) connects the ECRAM drain node to the V_ED line,
 * which is held at the depression voltage V_D; the ECRAM source (V_ES) is grounded; the ECRAM gate is on
 * the V_EG line and the selector gate on the V_TG line. The text's approximation: with the selector off
 * the ECRAM drain sits near 0 V (pulled to the grounded source through the channel); with it on
 * (V_TG = V_SS) the drain sits near V_D. The gate-to-channel programming voltage is V_EG − V_drain:
 *
 *   | stage        | V_EG | V_TG  | selector | programming voltage | effect             |
 *   |--------------|------|-------|----------|---------------------|--------------------|
 *   | potentiation | V_P  | 0     | off      | V_P                 | G rises            |
 *   | potentiation | V_P  | V_SS  | on       | V_P − V_D           | half-selected: ~0  |
 *   | depression   | 0    | V_SS  | on       | −V_D                | G falls            |
 *   | depression   | 0    | 0     | off      | 0                   | unchanged          |
 *   | remaining    | float| any   |          | 0                   | unchanged          |
 *
 * Only non-negative line voltages (V_P, V_D, V_SS, 0) are used. Array lines (our reconstruction of Fig 5a,
 * whose line-level detail is in the figure): V_EG lines run along rows, V_TG lines along columns; gate lines
 * of rows not being programmed are left floating (no gate-channel field), as the text does for inference.
 * Row-wise programming selects one row's V_EG and chooses the cells by their column V_TG; column-wise
 * programming selects one column's V_TG and chooses the cells by their row V_EG.
 */
import type { PulseProgrammable } from "../devices/device";
import type { Rng } from "../util/rng";
import { requireInteger, requireNonNegative, requirePositive } from "../util/validate";

export interface H1e1tBias {
  /** Potentiation gate voltage V_P on V_EG, V. */
  potentiationV: number;
  /** Depression voltage V_D on V_ED, V. */
  depressionV: number;
  /** Selector-on gate voltage V_SS on V_TG, V. */
  selectorOnV: number;
  /** Pulse width, s. */
  widthS: number;
  readonly provenance?: Readonly<Record<string, string>>;
}

/** Fig 5b, Table S2. */
export const H1E1T_BIAS: Readonly<H1e1tBias> = Object.freeze({
  potentiationV: 10,
  depressionV: 6,
  selectorOnV: 5,
  widthS: 5e-3,
  provenance: Object.freeze({
    potentiationV: "paper text Fig 5b: V_EG pulse amplitude 10 V",
    depressionV: "paper text Fig 5b: V_ED pulse amplitude 6 V",
    selectorOnV: "assumed: 5 V turns the selector fully on (value not in our text)",
    widthS: "paper text Fig 5b: 5 ms for both",
  }),
});

export function validateBias(b: H1e1tBias): H1e1tBias {
  requirePositive("potentiationV (V_P)", b.potentiationV);
  requirePositive("depressionV (V_D)", b.depressionV);
  requirePositive("selectorOnV (V_SS)", b.selectorOnV);
  requirePositive("widthS", b.widthS);
  if (b.depressionV >= b.potentiationV) throw new RangeError(`depressionV (V_D = ${b.depressionV}) must be < potentiationV (V_P = ${b.potentiationV}) for half-selection`);
  return b;
}

/** State of a V_EG line. */
export type GateLine = "VP" | "ground" | "float";

/** Gate-to-channel programming voltage of one cell, V (positive potentiates). */
export function cellProgrammingV(gate: GateLine, selectorOn: boolean, b: H1e1tBias = H1E1T_BIAS): number {
  if (gate === "float") return 0;
  const vg = gate === "VP" ? b.potentiationV : 0;
  const vDrain = selectorOn ? b.depressionV : 0;
  return vg - vDrain;
}

/** The programming cases of Table S2 as rows (five: the four biased cases and the floating "remaining" row). */
export function tableS2(b: H1e1tBias = H1E1T_BIAS): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  const cases: [string, GateLine, boolean, string][] = [
    ["potentiation", "VP", false, "selected"],
    ["potentiation", "VP", true, "half-selected"],
    ["depression", "ground", true, "selected"],
    ["depression", "ground", false, "unselected"],
    ["remaining", "float", true, "unselected"],
  ];
  for (const [stage, gate, on, role] of cases) {
    rows.push({ stage, role, "V_EG (V)": gate === "VP" ? b.potentiationV : gate === "ground" ? 0 : "float", "V_TG (V)": on ? b.selectorOnV : 0, "V_ED (V)": b.depressionV, "V_ES (V)": 0, "V_prog (V)": cellProgrammingV(gate, on, b) });
  }
  return rows;
}

/** Requested change per cell: +1 potentiate, −1 depress, 0 hold. */
export type Intent = 1 | -1 | 0;

export interface PhaseLog {
  phase: "potentiation" | "depression";
  /** "row r" or "column c". */
  select: string;
  /** All line voltages applied in this step (V_EG, V_TG, V_ED, V_ES), for the non-negativity check. */
  lineVoltagesV: number[];
  /** Programming voltage per cell [row][col]. */
  cellV: number[][];
}

/** An MTT array of H-1E1T cells over any pulse-programmable device. */
export class H1e1tArray {
  readonly rows: number;
  readonly cols: number;
  readonly cells: PulseProgrammable[][];
  readonly bias: H1e1tBias;
  readonly log: PhaseLog[] = [];

  constructor(cells: PulseProgrammable[][], bias: H1e1tBias = H1E1T_BIAS) {
    requireInteger("rows", cells.length, 1);
    requireInteger("cols", cells[0]?.length ?? 0, 1);
    if (cells.some((r) => r.length !== cells[0].length)) throw new RangeError("cells must be a rectangular array");
    this.cells = cells;
    this.rows = cells.length;
    this.cols = cells[0].length;
    this.bias = validateBias(bias);
  }

  conductancesUS(): number[][] {
    return this.cells.map((r) => r.map((c) => c.conductanceUS()));
  }

  private apply(phase: PhaseLog["phase"], select: string, gates: GateLine[], selectorOn: boolean[], rng: Rng): void {
    const b = this.bias;
    const cellV = gates.map((g) => selectorOn.map((on) => cellProgrammingV(g, on, b)));
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        const v = cellV[r][c];
        if (v !== 0) this.cells[r][c].applyPulse(v > 0 ? 1 : -1, Math.abs(v), b.widthS, rng);
      }
    }
    const lineVoltagesV = [
      ...gates.filter((g) => g !== "float").map((g) => (g === "VP" ? b.potentiationV : 0)),
      ...selectorOn.map((on) => (on ? b.selectorOnV : 0)),
      b.depressionV,
      0,
    ];
    this.log.push({ phase, select, lineVoltagesV, cellV });
  }

  /**
   * Row-wise programming, one pulse per step: for each row with any cell of the phase's direction, drive
   * that row's V_EG and choose its cells with the column V_TG lines; other rows float.
   */
  programRowWise(intent: Intent[][], phase: PhaseLog["phase"], rng: Rng): void {
    this.checkIntent(intent);
    const dir = phase === "potentiation" ? 1 : -1;
    for (let r = 0; r < this.rows; r++) {
      if (!intent[r].some((i) => i === dir)) continue;
      const gates: GateLine[] = Array.from({ length: this.rows }, (_, k) => (k === r ? (dir > 0 ? "VP" : "ground") : "float"));
      // potentiation: chosen cells need the selector off; depression: chosen cells need it on.
      const selectorOn = intent[r].map((i) => (dir > 0 ? i !== 1 : i === -1));
      this.apply(phase, `row ${r}`, gates, selectorOn, rng);
    }
  }

  /**
   * Column-wise programming: for each column with any cell of the phase's direction, set that column's
   * V_TG (off for potentiation, on for depression; the other columns the opposite) and drive the V_EG of
   * the rows whose cell in this column should change; other rows float.
   */
  programColumnWise(intent: Intent[][], phase: PhaseLog["phase"], rng: Rng): void {
    this.checkIntent(intent);
    const dir = phase === "potentiation" ? 1 : -1;
    for (let c = 0; c < this.cols; c++) {
      if (!intent.some((row) => row[c] === dir)) continue;
      const gates: GateLine[] = intent.map((row) => (row[c] === dir ? (dir > 0 ? "VP" : "ground") : "float"));
      const selectorOn = Array.from({ length: this.cols }, (_, k) => (dir > 0 ? k !== c : k === c));
      this.apply(phase, `column ${c}`, gates, selectorOn, rng);
    }
  }

  /** Smallest line voltage applied so far (≥ 0 means no negative bias was ever needed). */
  minLineVoltageV(): number {
    let m = Infinity;
    for (const l of this.log) for (const v of l.lineVoltagesV) m = Math.min(m, v);
    return m;
  }

  private checkIntent(intent: Intent[][]): void {
    if (intent.length !== this.rows || intent.some((r) => r.length !== this.cols)) throw new RangeError(`intent must be ${this.rows}×${this.cols}`);
  }
}

/** Effective programming voltages seen by a single cell driven as in Fig 5b: potentiation V_P, depression −V_D. */
export function ltpLtdVoltages(b: H1e1tBias = H1E1T_BIAS): { potentiationV: number; depressionV: number; halfSelectedV: number } {
  requireNonNegative("depressionV", b.depressionV);
  return { potentiationV: cellProgrammingV("VP", false, b), depressionV: cellProgrammingV("ground", true, b), halfSelectedV: cellProgrammingV("VP", true, b) };
}
