import { test } from "uvu";
import * as assert from "uvu/assert";
import { barChart, errorBarChart, lineChart, referenceLevel } from "../src/plot/charts";
import { renderSvg } from "../src/plot/render";

const rows = [
  { panel: "b", x: 1, y: 2 },
  { panel: "a", x: 1, y: 3 },
];

test("lineChart facets: one panel per value, in the given order and under the given heading when set, else Vega-Lite's defaults", () => {
  const sorted = lineChart(rows, { x: "x", y: "y", facet: "panel", facetSort: ["b", "a"], facetTitle: "which panel" }) as { facet: Record<string, unknown>; spec: Record<string, unknown> };
  assert.equal(sorted.facet, { field: "panel", type: "nominal", sort: ["b", "a"], title: "which panel" });
  assert.ok(sorted.spec.mark, "the marks sit in the faceted spec");
  const plain = lineChart(rows, { x: "x", y: "y", facet: "panel" }) as { facet: Record<string, unknown> };
  assert.equal(plain.facet, { field: "panel", type: "nominal" });
  const single = lineChart(rows, { x: "x", y: "y" }) as Record<string, unknown>;
  assert.is(single.facet, undefined);
});

test("referenceLevel over a line chart: a labelled dashed line on the shared y axis, which extends to take it in, under one axis title", async () => {
  const curve = [1, 2, 3].map((x) => ({ run: "a", x, y: 70 + x }));
  const svg = await renderSvg({ layer: [lineChart(curve, { x: "x", y: "y", color: "run", yTitle: "accuracy (%)" }), referenceLevel(90, { label: "whole set: 90.0 %" })] });
  assert.match(svg, /whole set: 90\.0 %/);
  assert.match(svg, /stroke-dasharray="5,4"/);
  const yAxis = /aria-label="Y-axis titled '([^']*)' for a linear scale with values from ([\d.]+) to ([\d.]+)"/.exec(svg);
  assert.ok(yAxis, "a y axis with a title");
  assert.is(yAxis![1], "accuracy (%)");
  assert.ok(Number(yAxis![3]) >= 90, `the y axis reaches the level (top ${yAxis![3]})`);
  assert.ok(Number(yAxis![2]) > 0, "and is not forced to zero");
});

test("errorBarChart: one error bar per point from lo to hi, a log x axis when asked, the dashed level only when given", async () => {
  const rows = [2, 20, 200].map((K) => ({ K, acc: 80, lo: 79, hi: 81, measure: "task A" }));
  const o = { x: "K", y: "acc", lo: "lo", hi: "hi", color: "measure", xScale: "log" as const };
  const withLevel = await renderSvg(errorBarChart(rows, { ...o, reference: 85 }));
  assert.match(withLevel, /X-axis titled 'K' for a log scale/);
  assert.is((withLevel.match(/aria-label="K: \d+; acc: 79; hi: 81; measure: task A"/g) ?? []).length, 3, "three bars from lo to hi");
  assert.match(withLevel, /aria-label="reference level: 85"/);
  const without = await renderSvg(errorBarChart(rows, o));
  assert.not.match(without, /reference level/);
});

test("barChart keepOrder: the categories keep the rows' order on the rendered axis; without it they are sorted", async () => {
  const sweep = ["k = 0", "k = 0.3", "k = 0.05", "CMO"].map((setting, i) => ({ setting, acc: 80 - 10 * i }));
  const xPositions = (svg: string) => [...svg.matchAll(/aria-label="setting: ([^;]+); acc: [\d.]+" role="graphics-symbol" aria-roledescription="bar" d="M([\d.]+),/g)].map((m) => [m[1], Number(m[2])] as const);
  const kept = xPositions(await renderSvg(barChart(sweep, { x: "setting", y: "acc", keepOrder: true })));
  assert.equal(kept.slice().sort((a, b) => a[1] - b[1]).map((p) => p[0]), ["k = 0", "k = 0.3", "k = 0.05", "CMO"]);
  const sorted = xPositions(await renderSvg(barChart(sweep, { x: "setting", y: "acc" })));
  assert.equal(sorted.slice().sort((a, b) => a[1] - b[1]).map((p) => p[0]), ["CMO", "k = 0", "k = 0.05", "k = 0.3"]);
});

test.run();
