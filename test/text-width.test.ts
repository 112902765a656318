import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import { dejaVuTextWidth, emWidth, readAdvanceTable } from "../src/plot/text-width";

const FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/** Ink width of one line of text as resvg draws it (an independent measurement: resvg shapes the text itself). */
function drawnWidth(text: string, size: number, weight: string): number {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="60"><text x="10" y="40" font-family="DejaVu Sans" font-size="${size}" font-weight="${weight}">${text}</text></svg>`;
  const box = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).getBBox();
  if (!box) throw new Error("resvg drew nothing");
  return box.width;
}

test("measured widths match what resvg draws, regular and bold, within 2 %", () => {
  const width = dejaVuTextWidth();
  assert.ok(width, "DejaVu Sans is installed by scripts/setup.sh (fonts-dejavu-core)");
  for (const [text, size, weight] of [
    ["W_b vs W_h at the operating point (Fig 4c)", 14, "bold"],
    ["ideal sign, m = 5; 1.4 V / 0.6 V", 11, "normal"],
    ["test accuracy (%)", 12, "bold"],
  ] as const) {
    const ours = width!({ fontSize: size, fontWeight: weight }, text);
    const drawn = drawnWidth(text, size, weight);
    assert.ok(Math.abs(ours - drawn) / drawn < 0.02, `${text} (${weight} ${size}px): measured ${ours.toFixed(1)} px, drawn ${drawn.toFixed(1)} px`);
    // (vega's canvas-free estimate, 0.8 em a character, is far wider than what resvg draws: the reason this module
    // exists. That is a fact about vega and the font, not about this module, so it is not asserted here.)
  }
});

test("widths add up character by character, digits share one advance, and bold is wider", () => {
  const table = readAdvanceTable(fs.readFileSync(FONT));
  assert.ok(Math.abs(emWidth(table, "ab") - emWidth(table, "a") - emWidth(table, "b")) < 1e-12);
  const digits = [..."0123456789"].map((d) => emWidth(table, d));
  assert.ok(digits.every((d) => d === digits[0]), "DejaVu Sans digits are tabular");
  assert.ok(emWidth(table, "i") < emWidth(table, "m"));
  const width = dejaVuTextWidth()!;
  assert.ok(width({ fontSize: 12, fontWeight: "bold" }, "accuracy") > width({ fontSize: 12 }, "accuracy"));
  assert.is(width({ fontSize: 12 }, ""), 0);
});

test("a file that is not a TrueType font is refused", () => {
  assert.throws(() => readAdvanceTable(new Uint8Array(64)), /no 'head' table/);
});

test.run();
