// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { COOKIE_MODE_HEADER, Session, decodeClaims } from "./session";

const b64 = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const jwt = (claims: object) => `${b64({ alg: "EdDSA", kid: "k1" })}.${b64(claims)}.signature`;

/** A small stand-in for the API's auth routes: rotating refresh tokens, bearer checks, logout. */
class FakeApi {
  issued = 0;
  valid = new Set<string>();
  refreshTokens = new Set<string>();
  calls: { path: string; auth: string | null; body: unknown; headers: Headers }[] = [];
  failRefresh = false;
  lifetime = 900;

  tokens() {
    this.issued++;
    const access = jwt({ sub: "user-1", tid: "tenant-1", role: "admin", sid: "family-1", n: this.issued });
    const refresh = `rt-${this.issued}`;
    this.valid.add(access);
    this.refreshTokens.add(refresh);
    return { access_token: access, refresh_token: refresh, expires_in: this.lifetime, token_type: "Bearer" };
  }

  fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname.replace(/^\/v1/, "");
    const text = await request.text();
    const body = text ? JSON.parse(text) : undefined;
    const auth = request.headers.get("Authorization");
    this.calls.push({ path, auth, body, headers: request.headers });
    const json = (status: number, value: unknown) =>
      new Response(JSON.stringify(value), { status, headers: { "Content-Type": "application/json" } });
    if (path === "/auth/refresh") {
      const token = (body as { refresh_token?: string }).refresh_token;
      if (this.failRefresh || (token && !this.refreshTokens.has(token))) return json(401, { error: { code: "unauthorized", message: "invalid" } });
      if (token) this.refreshTokens.delete(token);
      return json(200, this.tokens());
    }
    if (path === "/auth/logout") {
      this.valid.clear();
      this.refreshTokens.clear();
      return new Response(null, { status: 204 });
    }
    const bearer = auth?.replace(/^Bearer /, "") ?? "";
    if (!this.valid.has(bearer)) return json(401, { error: { code: "unauthorized", message: "expired" } });
    return json(200, { items: [], body });
  };
}

const request = (path: string, init?: RequestInit) => new Request(`http://console.test/v1${path}`, init);

describe("session: transparent refresh", () => {
  let fake: FakeApi;
  let session: Session;
  beforeEach(() => {
    fake = new FakeApi();
    session = new Session({ baseUrl: "http://console.test/v1", fetch: fake.fetch });
    session.begin(fake.tokens(), "owner@example.com");
  });
  afterEach(() => session.end("logout"));

  it("reads who is signed in from the token, and keeps the e-mail it was given", () => {
    expect(session.snapshot().user).toEqual({
      userId: "user-1",
      tenantId: "tenant-1",
      role: "admin",
      sessionId: "family-1",
      email: "owner@example.com",
    });
    expect(decodeClaims("not a token")).toEqual({});
  });

  it("a 401 refreshes once and retries the request, body included", async () => {
    fake.valid.clear(); // the access token expired at the API
    const response = await session.fetch(request("/targets", { method: "POST", body: JSON.stringify({ cnpj: "x" }) }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ body: { cnpj: "x" } });
    expect(fake.calls.map((c) => c.path)).toEqual(["/targets", "/auth/refresh", "/targets"]);
    expect(fake.calls[1]!.body).toEqual({ refresh_token: "rt-1" });
    expect(fake.calls[2]!.auth).toBe(`Bearer ${session.accessToken}`);
    expect(session.snapshot().phase).toBe("active");
  });

  it("concurrent 401s share one refresh (a rotated refresh token is never replayed)", async () => {
    fake.valid.clear();
    const responses = await Promise.all([1, 2, 3, 4].map(() => session.fetch(request("/targets"))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(fake.calls.filter((c) => c.path === "/auth/refresh")).toHaveLength(1);
  });

  it("a refused refresh ends the session and leaves nothing behind", async () => {
    fake.valid.clear();
    fake.failRefresh = true;
    const response = await session.fetch(request("/targets"));
    expect(response.status).toBe(401);
    expect(session.snapshot()).toMatchObject({ phase: "signed_out", user: null, endedReason: "refresh_failed" });
    expect(session.accessToken).toBeNull();
    expect(localStorage.length + sessionStorage.length).toBe(0);
    expect(document.cookie).toBe("");
  });

  it("logout revokes at the API with the bearer token and the refresh token", async () => {
    const access = session.accessToken;
    await session.logout();
    const call = fake.calls.find((c) => c.path === "/auth/logout");
    expect(call?.auth).toBe(`Bearer ${access}`);
    expect(call?.body).toEqual({ refresh_token: "rt-1" });
    expect(session.snapshot()).toMatchObject({ phase: "signed_out", endedReason: "logout" });
  });
});

describe("session: expiry warning", () => {
  let fake: FakeApi;
  let session: Session;
  let now: number;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 1_000_000;
    fake = new FakeApi();
    session = new Session({ baseUrl: "http://console.test/v1", fetch: fake.fetch, now: () => now });
    session.begin(fake.tokens());
  });
  afterEach(() => {
    session.end("logout");
    vi.useRealTimers();
  });

  const advance = async (ms: number) => {
    now += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };

  it("an idle user is asked two minutes before the end, then signed out before the token expires", async () => {
    await advance(12 * 60_000);
    expect(session.snapshot().phase).toBe("active");
    await advance(61_000); // 13:01 of 15:00
    expect(session.snapshot().phase).toBe("warning");
    expect(session.snapshot().endsAt).toBe(1_000_000 + 900_000 - 5_000);
    expect(fake.calls).toHaveLength(0); // asking is not refreshing
    await advance(115_000); // past 14:55
    expect(session.snapshot()).toMatchObject({ phase: "signed_out", endedReason: "idle" });
    const logout = fake.calls.find((c) => c.path === "/auth/logout");
    expect(logout?.auth).toMatch(/^Bearer /); // revoked while the token still authenticates
  });

  it("'stay signed in' refreshes and starts a new lifetime", async () => {
    await advance(13 * 60_000 + 1_000);
    expect(session.snapshot().phase).toBe("warning");
    await session.staySignedIn();
    expect(session.snapshot().phase).toBe("active");
    expect(session.snapshot().expiresAt).toBe(now + 900_000);
    await advance(12 * 60_000);
    expect(session.snapshot().phase).toBe("active");
  });

  it("an active user is refreshed silently instead of being asked", async () => {
    await advance(5 * 60_000);
    session.noteActivity();
    await advance(8 * 60_000 + 1_000);
    expect(session.snapshot().phase).toBe("active");
    expect(fake.calls.map((c) => c.path)).toEqual(["/auth/refresh"]);
  });

  it("a short token lifetime warns at half of it", async () => {
    session.end("logout");
    fake.lifetime = 60;
    session.begin(fake.tokens());
    await advance(29_000);
    expect(session.snapshot().phase).toBe("active");
    await advance(2_000);
    expect(session.snapshot().phase).toBe("warning");
  });
});

describe("session: cookie mode", () => {
  it("sends the cookie-mode header and no refresh token in the body", async () => {
    const fake = new FakeApi();
    const session = new Session({ baseUrl: "http://console.test/v1", fetch: fake.fetch, transport: "cookie" });
    const tokens = fake.tokens();
    session.begin({ ...tokens, refresh_token: "" });
    fake.valid.clear();
    await session.fetch(request("/targets"));
    const refresh = fake.calls.find((c) => c.path === "/auth/refresh");
    expect(refresh?.body).toEqual({});
    expect(refresh?.headers.get(COOKIE_MODE_HEADER)).toBe("cookie");
    expect(session.authHeaders()).toEqual({ [COOKIE_MODE_HEADER]: "cookie" });
    session.end("logout");
  });

  it("memory mode cannot restore after a reload; cookie mode asks the API", async () => {
    const fake = new FakeApi();
    expect(await new Session({ baseUrl: "http://console.test/v1", fetch: fake.fetch }).restore()).toBe(false);
    const cookie = new Session({ baseUrl: "http://console.test/v1", fetch: fake.fetch, transport: "cookie" });
    expect(await cookie.restore()).toBe(true);
    expect(cookie.snapshot().phase).toBe("active");
    cookie.end("logout");
  });
});
