// What the console can offer, from the contract it was built against (operations.gen.ts comes from
// docs/openapi.json). A page or control that needs an API the contract does not have yet says so instead of
// pretending; when the API lands, `make console-types` regenerates the list and the control appears.
import { OPERATIONS } from "./operations.gen";

type Operations = Readonly<Record<string, readonly string[]>>;

const normalise = (operation: string) => operation.replace(/\{[^}]*\}/g, "{}");
const index = (operations: Operations) => new Map(Object.entries(operations).map(([op, params]) => [normalise(op), params]));
const AVAILABLE = index(OPERATIONS);

/** "PATCH /users/{}" matches whatever the path parameter is called in the spec. */
export function hasOperation(operation: string, operations?: Operations): boolean {
  return (operations ? index(operations) : AVAILABLE).has(normalise(operation));
}

export function hasParameter(operation: string, parameter: string, operations?: Operations): boolean {
  const params = (operations ? index(operations) : AVAILABLE).get(normalise(operation));
  return params?.includes(parameter.toLowerCase()) ?? false;
}

export function featuresOf(operations?: Operations) {
  const op = (o: string) => hasOperation(o, operations);
  const param = (o: string, p: string) => hasParameter(o, p, operations);
  return {
    /** Refresh token in an httpOnly cookie (API_NEEDS.md 1). */
    cookieSession: param("POST /auth/refresh", "header:x-radar-session"),
    /** Search and tag filter on the server (API_NEEDS.md 3). */
    targetSearch: param("GET /targets", "query:q"),
    targetTagFilter: param("GET /targets", "query:tag"),
    /** The tag drop-down's list of the tenant's tags with counts (API_NEEDS.md 3). */
    targetTags: op("GET /targets/tags"),
    /** Who I am, for any role: e-mail, role, tenant name, plan (API_NEEDS.md 4). */
    me: op("GET /me"),
    /** Users: change role, remove, sign out everywhere (API_NEEDS.md 4). */
    userRoleChange: op("PATCH /users/{}"),
    userRemove: op("DELETE /users/{}"),
    userSessionsRevoke: op("POST /users/{}/sessions/revoke"),
    /** Tenant deletion as a job with progress (API_NEEDS.md 5). */
    tenantDeletionJob: op("GET /tenant/deletion"),
    /** Billing: the plan catalogue with prices, checkout, the payment portal (API_NEEDS.md 6). */
    billingPlans: op("GET /billing/plans"),
    billingCheckout: op("POST /billing/checkout"),
    billingPortal: op("POST /billing/portal"),
    /** Batches: listing, their checks, the results as CSV (API_NEEDS.md 7). */
    batchList: op("GET /checks/batch"),
    batchChecks: op("GET /checks/batch/{}/checks"),
    batchResultsCsv: op("GET /checks/batch/{}/results"),
  };
}

export type Features = ReturnType<typeof featuresOf>;
export const FEATURES: Features = featuresOf();
