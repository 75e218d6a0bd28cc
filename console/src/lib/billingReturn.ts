// Where Stripe sends the customer back: the plan page with a query that says what happened (the API's
// radar.billing.RETURN_QUERIES): ?checkout=success&plan=<bought>&session_id=..., ?checkout=cancel, ?portal=return.
// The page reads it once, clears it from the address bar, and after a payment waits for the tenant's plan to move
// (the verified webhook moves it, seconds later) for at most ACTIVATION_TIMEOUT_MS.

export const ACTIVATION_POLL_MS = 2000;
export const ACTIVATION_TIMEOUT_MS = 60_000;
const RETURN_KEYS = ["checkout", "portal", "plan", "session_id"] as const;

export type BillingReturn =
  | { kind: "checkout_success"; plan: string | null }
  | { kind: "checkout_cancel" }
  | { kind: "portal_return" };

/** What the query says happened, or null when the page was opened some other way. */
export function readBillingReturn(params: URLSearchParams): BillingReturn | null {
  const checkout = params.get("checkout");
  if (checkout === "success") {
    const plan = params.get("plan")?.trim();
    return { kind: "checkout_success", plan: plan && /^[a-z0-9_-]{1,40}$/.test(plan) ? plan : null };
  }
  if (checkout === "cancel") return { kind: "checkout_cancel" };
  if (params.get("portal") === "return") return { kind: "portal_return" };
  return null;
}

/** The query without what billing added (other parameters, like ?highlight=, stay). */
export function withoutBillingReturn(params: URLSearchParams): URLSearchParams {
  const rest = new URLSearchParams(params);
  for (const key of RETURN_KEYS) rest.delete(key);
  return rest;
}

export type Activation = "waiting" | "activated" | "timed_out";

/** After a payment: has the tenant's plan moved? `expected` is the plan bought (from the query), else any move away
 * from the plan the page first saw counts. Gives up after ACTIVATION_TIMEOUT_MS. */
export function activationState(options: {
  expected: string | null;
  firstSeen: string | null;
  current: string | null | undefined;
  startedAt: number;
  now: number;
}): Activation {
  const { expected, firstSeen, current, startedAt, now } = options;
  if (current) {
    if (expected ? current === expected : firstSeen !== null && current !== firstSeen) return "activated";
  }
  return now - startedAt >= ACTIVATION_TIMEOUT_MS ? "timed_out" : "waiting";
}

/** TanStack Query's refetchInterval for the tenant while waiting: poll, then stop when done or out of time. */
export function activationPollInterval(activation: Activation | null): number | false {
  return activation === "waiting" ? ACTIVATION_POLL_MS : false;
}
