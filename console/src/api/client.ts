// The typed API client (openapi-fetch over schema.gen.ts) on the session's authorized fetch. Same origin:
// the console and the API are served together (CloudFront, or scripts/console locally) under /v1.
import createClient from "openapi-fetch";
import { Session } from "../auth/session";
import { ApiError } from "./errors";
import { FEATURES } from "./features";
import type { paths } from "./schema.gen";

export const API_BASE = "/v1";

export const session = new Session({ baseUrl: API_BASE, transport: FEATURES.cookieSession ? "cookie" : "memory" });

export const api = createClient<paths>({ baseUrl: API_BASE, fetch: session.fetch });

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Await an openapi-fetch call: its data, or an ApiError with the API's code, message and details. */
export async function call<T>(pending: Promise<Outcome<T>>): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await pending;
  } catch (cause) {
    throw ApiError.network(cause);
  }
  if (!outcome.response.ok) throw ApiError.fromBody(outcome.response, outcome.error);
  return outcome.data as T;
}

/**
 * A call to a route the contract does not have yet (feature-gated by FEATURES, written against the shape in
 * console/API_NEEDS.md). Once the route is in docs/openapi.json, its caller moves to the typed client.
 */
export async function untypedCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] = "application/json";
  }
  let response: Response;
  try {
    response = await session.fetch(new Request(new URL(`${API_BASE}${path}`, location.origin), init));
  } catch (cause) {
    throw ApiError.network(cause);
  }
  const parsed = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (!response.ok) throw ApiError.fromBody(response, parsed);
  return parsed as T;
}

/** Sign-up and login are not authorized calls: they go straight to fetch, with the cookie-mode header. */
export async function authCall<T>(path: "/auth/signup" | "/auth/login", body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...session.authHeaders() },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (cause) {
    throw ApiError.network(cause);
  }
  const parsed = await response.json().catch(() => undefined);
  if (!response.ok) throw ApiError.fromBody(response, parsed);
  return parsed as T;
}
