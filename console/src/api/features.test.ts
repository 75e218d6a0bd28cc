import { describe, expect, it } from "vitest";
import { featuresOf, hasOperation, hasParameter } from "./features";

describe("feature gating from the contract", () => {
  it("reads today's contract: what exists is on, what is coming is off", () => {
    const today = featuresOf();
    expect(hasOperation("GET /targets")).toBe(true);
    expect(today.userRemove && today.userRoleChange && today.userSessionsRevoke).toBe(true);
    expect(today.tenantDeletionJob).toBe(true);
    expect(today.cookieSession).toBe(true); // the contract declares X-Radar-Session on the auth routes
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

  it("lights up the pages other branches' routes feed: me, plans, batch lists and results, tags", () => {
    const none = featuresOf({});
    for (const flag of ["me", "billingPlans", "batchList", "batchChecks", "batchResultsCsv", "targetTags"] as const) {
      expect(none[flag]).toBe(false);
    }
    const future = featuresOf({
      "GET /me": [],
      "GET /billing/plans": [],
      "GET /checks/batch": ["query:cursor", "query:limit"],
      "GET /checks/batch/{id}/checks": ["path:id", "query:status"],
      "GET /checks/batch/{batch_id}/results": ["path:batch_id"],
      "GET /targets/tags": [],
    });
    expect([future.me, future.billingPlans, future.batchList, future.batchChecks, future.batchResultsCsv, future.targetTags]).toEqual([
      true, true, true, true, true, true,
    ]);
    // GET /checks/batch/{} is today's batch status, not the list: the list needs its own route.
    expect(featuresOf({ "GET /checks/batch/{batch_id}": ["path:batch_id"] }).batchList).toBe(false);
  });
});
