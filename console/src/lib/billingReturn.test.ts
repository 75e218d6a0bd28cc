import { describe, expect, it } from "vitest";
import {
  ACTIVATION_POLL_MS,
  ACTIVATION_TIMEOUT_MS,
  activationPollInterval,
  activationState,
  readBillingReturn,
  withoutBillingReturn,
} from "./billingReturn";

const q = (s: string) => new URLSearchParams(s);

describe("billing return", () => {
  it("reads the three outcomes the API sends the customer back with", () => {
    expect(readBillingReturn(q("checkout=success&plan=pro&session_id=cs_test_1"))).toEqual({ kind: "checkout_success", plan: "pro" });
    expect(readBillingReturn(q("checkout=success&session_id=cs_test_1"))).toEqual({ kind: "checkout_success", plan: null });
    expect(readBillingReturn(q("checkout=cancel"))).toEqual({ kind: "checkout_cancel" });
    expect(readBillingReturn(q("portal=return"))).toEqual({ kind: "portal_return" });
    expect(readBillingReturn(q(""))).toBeNull();
    expect(readBillingReturn(q("highlight=pro"))).toBeNull();
    expect(readBillingReturn(q("checkout=maybe"))).toBeNull();
    // A plan name that is not one is ignored (any move then counts), never shown.
    expect(readBillingReturn(q("checkout=success&plan=%3Cscript%3E"))).toEqual({ kind: "checkout_success", plan: null });
  });

  it("clears what billing added and keeps the rest", () => {
    expect(withoutBillingReturn(q("checkout=success&plan=pro&session_id=cs_1&highlight=pro")).toString()).toBe("highlight=pro");
    expect(withoutBillingReturn(q("portal=return")).toString()).toBe("");
  });

  it("waits for the plan bought, then stops polling", () => {
    const base = { expected: "pro", firstSeen: "free", startedAt: 1_000 };
    expect(activationState({ ...base, current: "free", now: 2_000 })).toBe("waiting");
    expect(activationPollInterval("waiting")).toBe(ACTIVATION_POLL_MS);
    expect(activationState({ ...base, current: "pro", now: 3_000 })).toBe("activated");
    expect(activationPollInterval("activated")).toBe(false);
    // The webhook was faster than the browser: already on the plan when the page loads.
    expect(activationState({ ...base, firstSeen: "pro", current: "pro", now: 1_000 })).toBe("activated");
    // Some other move is not the plan bought.
    expect(activationState({ ...base, current: "business", now: 3_000 })).toBe("waiting");
  });

  it("without the plan in the query, any move counts", () => {
    const base = { expected: null, startedAt: 0 };
    expect(activationState({ ...base, firstSeen: "free", current: "free", now: 10 })).toBe("waiting");
    expect(activationState({ ...base, firstSeen: "free", current: "pro", now: 10 })).toBe("activated");
    expect(activationState({ ...base, firstSeen: null, current: undefined, now: 10 })).toBe("waiting");
  });

  it("gives up after the cap, and polls no more", () => {
    const base = { expected: "pro", firstSeen: "free", current: "free", startedAt: 5_000 };
    expect(activationState({ ...base, now: 5_000 + ACTIVATION_TIMEOUT_MS - 1 })).toBe("waiting");
    expect(activationState({ ...base, now: 5_000 + ACTIVATION_TIMEOUT_MS })).toBe("timed_out");
    expect(activationPollInterval("timed_out")).toBe(false);
    expect(activationPollInterval(null)).toBe(false);
    expect(ACTIVATION_TIMEOUT_MS).toBe(60_000);
  });
});
