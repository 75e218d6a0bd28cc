import { describe, expect, it } from "vitest";
import { estimate, serverEstimate } from "./BatchesPage";

describe("batch progress estimates", () => {
  it("needs two different counts before it estimates from what it saw", () => {
    expect(estimate([{ at: 0, done: 0 }], 10)).toEqual({ perMinute: null, etaSeconds: null });
    expect(estimate([{ at: 0, done: 2 }, { at: 5000, done: 2 }], 10)).toEqual({ perMinute: null, etaSeconds: null });
    expect(estimate([{ at: 0, done: 0 }, { at: 10_000, done: 5 }], 10)).toEqual({ perMinute: 30, etaSeconds: 10 });
  });

  it("prefers the API's throughput and ETA when its answer carries both", () => {
    expect(serverEstimate({ throughput_per_min: 42, eta_seconds: 90 })).toEqual({ perMinute: 42, etaSeconds: 90 });
    expect(serverEstimate({ throughput_per_min: 42 })).toBeNull();
    expect(serverEstimate({})).toBeNull();
    expect(serverEstimate({ throughput_per_min: null, eta_seconds: 3 })).toBeNull();
  });
});
