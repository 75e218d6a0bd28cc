import { describe, expect, it } from "vitest";
import { usageSeries } from "./usage";

describe("usage series", () => {
  it("fills every day of the period so far with a running total", () => {
    const points = usageSeries("2026-02", { "2026-02-02": 3, "2026-02-04": 1 }, new Date(Date.UTC(2026, 1, 5)));
    expect(points.map((p) => [p.label, p.checks, p.cumulative])).toEqual([
      ["01/02", 0, 0],
      ["02/02", 3, 3],
      ["03/02", 0, 3],
      ["04/02", 1, 4],
      ["05/02", 0, 4],
    ]);
  });

  it("a past period runs to its last day", () => {
    expect(usageSeries("2025-02", {}, new Date(Date.UTC(2026, 0, 1)))).toHaveLength(28);
  });
});
