import { test } from "uvu";
import * as assert from "uvu/assert";
import { lineChart } from "../src/plot/charts";

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

test.run();
