import { describe, expect, it } from "vitest";
import { cachedShare, currentPeriod, isReportPeriod, reportSeries, shiftPeriod, usageSeries } from "./usage";

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

describe("usage report", () => {
  const today = new Date(Date.UTC(2026, 11, 2));

  it("accepts YYYY-MM periods up to the current month only", () => {
    expect(isReportPeriod("2026-12", today)).toBe(true);
    expect(isReportPeriod("2020-01", today)).toBe(true);
    expect(isReportPeriod("2027-01", today)).toBe(false);
    expect(isReportPeriod("2026-13", today)).toBe(false);
    expect(isReportPeriod("2026-1", today)).toBe(false);
    expect(isReportPeriod("1999-12", today)).toBe(false);
    expect(currentPeriod(today)).toBe("2026-12");
  });

  it("steps a month back and forward across years, never past today", () => {
    expect(shiftPeriod("2026-01", -1, today)).toBe("2025-12");
    expect(shiftPeriod("2025-12", 1, today)).toBe("2026-01");
    expect(shiftPeriod("2026-12", 1, today)).toBeNull();
    expect(shiftPeriod("nope", 1, today)).toBeNull();
  });

  it("turns the report's days into stacked points and the cache share", () => {
    const points = reportSeries([
      { date: "2026-12-01", checks: 5, by_mode: { sync: 2, async: 1, batch: 1 }, cached: 3, looked_up: 1, unattributed: 1 },
      { date: "2026-12-02", checks: 0, by_mode: {}, cached: 0, looked_up: 0 },
    ]);
    expect(points[0]).toEqual({
      day: "2026-12-01", label: "01/12", sync: 2, async: 1, batch: 1, unattributed: 1, cached: 3, looked_up: 1, checks: 5,
    });
    expect(points[1]).toMatchObject({ label: "02/12", sync: 0, async: 0, batch: 0 });
    expect(cachedShare(3, 5)).toBe(60);
    expect(cachedShare(0, 0)).toBe(0);
  });
});
