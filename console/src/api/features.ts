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
    /** Search and tag filter on the server (API_NEEDS.md 2). */
    targetSearch: param("GET /targets", "query:q"),
    targetTagFilter: param("GET /targets", "query:tag"),
    /** Users: change role, remove, sign out everywhere (API_NEEDS.md 3). */
    userRoleChange: op("PATCH /users/{}"),
    userRemove: op("DELETE /users/{}"),
    userSessionsRevoke: op("POST /users/{}/sessions/revoke"),
    /** Tenant deletion as a job with progress (API_NEEDS.md 4). */
    tenantDeletionJob: op("GET /tenant/deletion"),
    /** Billing (API_NEEDS.md 5). */
    billingCheckout: op("POST /billing/checkout"),
    billingPortal: op("POST /billing/portal"),
    /** Batches: listing, their checks, CSV bodies and results (API_NEEDS.md 6). */
    batchList: op("GET /checks/batch"),
    batchChecks: op("GET /checks/batch/{}/checks"),
  };
}

export type Features = ReturnType<typeof featuresOf>;
export const FEATURES: Features = featuresOf();
