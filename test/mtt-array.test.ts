import { test } from "uvu";
import * as assert from "uvu/assert";
import { H1E1T_BIAS, H1e1tArray, cellProgrammingV, tableS2, validateBias, type Intent } from "../src/array/h1e1t-programming";
import type { Polarity, PulseProgrammable } from "../src/devices/device";
import { componentCount, componentLabel, mttCell, separateStorageCell } from "../src/mtt/components";
import { createRng } from "../src/util/rng";

/** A device that records the pulses it receives (no physics), to test which cells a scheme addresses. */
class Recorder implements PulseProgrammable {
  readonly name = "recorder";
  readonly gMinUS = 0;
  readonly gMaxUS = 100;
  pulses: number[] = [];
  conductanceUS(): number {
    return 50;
  }
  applyPulse(polarity: Polarity, amplitudeV: number): number {
    this.pulses.push(polarity * amplitudeV);
    return 50;
  }
  pulseEnergyJ(): number {
    return 0;
  }
}

const grid = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, () => new Recorder()));

test("Table S2 programming voltages by hand: +V_P, V_P − V_D, −V_D, 0", () => {
  assert.is(cellProgrammingV("VP", false), 10);
  assert.is(cellProgrammingV("VP", true), 4);
  assert.is(cellProgrammingV("ground", true), -6);
  assert.is(cellProgrammingV("ground", false), 0);
  assert.is(cellProgrammingV("float", true), 0);
  for (const row of tableS2()) for (const k of ["V_TG (V)", "V_ED (V)", "V_ES (V)"]) assert.ok((row[k] as number) >= 0);
});

for (const mode of ["row", "column"] as const) {
  test(`${mode}-wise programming: addressed cells get the full pulse, others at most the half-select voltage, never the wrong polarity`, () => {
    const cells = grid(3, 4);
    const arr = new H1e1tArray(cells);
    const rng = createRng(1);
    const intent: Intent[][] = [
      [1, 0, -1, 0],
      [0, 1, 1, -1],
      [-1, 0, 0, 1],
    ];
    for (const phase of ["potentiation", "depression"] as const) {
      if (mode === "row") arr.programRowWise(intent, phase, rng);
      else arr.programColumnWise(intent, phase, rng);
    }
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 4; c++) {
        const p = cells[r][c].pulses;
        const i = intent[r][c];
        if (i === 1) assert.ok(p.includes(H1E1T_BIAS.potentiationV) && !p.some((v) => v < 0), `cell ${r},${c}: ${p}`);
        if (i === -1) assert.ok(p.includes(-H1E1T_BIAS.depressionV) && !p.some((v) => v >= H1E1T_BIAS.potentiationV), `cell ${r},${c}: ${p}`);
        if (i === 0) assert.ok(p.every((v) => v === H1E1T_BIAS.potentiationV - H1E1T_BIAS.depressionV), `held cell ${r},${c} got ${p}`);
      }
    }
    assert.ok(arr.minLineVoltageV() >= 0);
  });
}

test("bad bias and bad intent shapes throw naming the field", () => {
  assert.throws(() => validateBias({ ...H1E1T_BIAS, depressionV: 12 }), /depressionV/);
  assert.throws(() => validateBias({ ...H1E1T_BIAS, widthS: 0 }), /widthS/);
  const arr = new H1e1tArray(grid(2, 2));
  assert.throws(() => arr.programRowWise([[1, 0]], "potentiation", createRng(1)), /intent/);
});

test("component counts from the cell descriptions: 4T2E/4T2R = 6, 4T4E/4T4R = 8", () => {
  for (const m of ["E", "R"] as const) {
    assert.is(componentLabel(mttCell(m), m), `4T2${m}`);
    assert.is(componentLabel(separateStorageCell(m), m), `4T4${m}`);
    assert.is(componentCount(mttCell(m)) + 2, componentCount(separateStorageCell(m)));
  }
});

test.run();
