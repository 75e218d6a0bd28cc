import { describe, expect, it } from "vitest";
import { featuresOf, hasOperation, hasParameter } from "./features";

describe("feature gating from the contract", () => {
  it("reads today's contract: what exists is on, what is coming is off", () => {
    const today = featuresOf();
    expect(hasOperation("GET /targets")).toBe(true);
    expect(today.userRemove).toBe(false);
    expect(today.cookieSession).toBe(false);
    expect(today.billingCheckout && today.billingPortal).toBe(true);
  });

  it("turns on when a contract has the routes, whatever the path parameter is called", () => {
    const future = {
      "PATCH /users/{id}": ["path:id"],
      "DELETE /users/{user_id}": ["path:user_id"],
      "POST /auth/refresh": ["header:x-radar-session"],
      "GET /targets": ["query:cursor", "query:limit", "query:q", "query:tag"],
    };
    const features = featuresOf(future);
    expect(features.userRoleChange).toBe(true);
    expect(features.userRemove).toBe(true);
    expect(features.cookieSession).toBe(true);
    expect(features.targetSearch && features.targetTagFilter).toBe(true);
    expect(features.billingCheckout).toBe(false);
    expect(hasParameter("GET /targets", "Query:Q", future)).toBe(true);
  });
});
