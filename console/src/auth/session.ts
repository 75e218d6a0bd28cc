// The signed-in session, kept in memory only: the access token lives in this object and nowhere else (no
// localStorage, no sessionStorage, no readable cookie). When the API's spec declares its cookie mode (it does:
// console/API_NEEDS.md, item 1) the refresh token lives in an httpOnly cookie the console never sees, and a reload
// restores the session; against an API without it the refresh token comes in the JSON body, is kept here too, and a
// reload signs the user out.
//
// Refresh is transparent: a 401 on an authorized call refreshes once and retries, and a user who was active
// gets a new token before the old one ends. An idle user is asked "stay signed in?" before the end; with no
// answer the session is revoked a few seconds before the access token expires (while it can still
// authenticate the logout), and the app goes back to login with a message.
import { ApiError } from "../api/errors";
import type { Role, TokenResponse } from "../api/types";

export type Transport = "memory" | "cookie";
export type EndReason = "logout" | "idle" | "refresh_failed" | "tenant_deleted";
export type Phase = "signed_out" | "active" | "warning";

export interface SessionUser {
  userId: string;
  tenantId: string;
  role: Role;
  sessionId: string;
  email: string | null;
}

export interface SessionSnapshot {
  phase: Phase;
  user: SessionUser | null;
  expiresAt: number | null;
  /** When phase is "warning": when the session will be ended (epoch ms). */
  endsAt: number | null;
  /** Why the last session ended (shown on the login page), null after a fresh sign-in. */
  endedReason: EndReason | null;
}

export interface SessionOptions {
  baseUrl: string;
  fetch?: (request: Request) => Promise<Response>;
  now?: () => number;
  transport?: Transport;
  /** How long before the end the warning shows (capped at half the token's lifetime). */
  warnBeforeMs?: number;
  /** How long before the access token expires an unanswered warning signs out (so logout still authenticates). */
  logoutMarginMs?: number;
  tickMs?: number;
}

/** The header that asks the API for its cookie mode (console/API_NEEDS.md, item 1). */
export const COOKIE_MODE_HEADER = "X-Radar-Session";

interface Claims {
  sub?: string;
  tid?: string;
  role?: string;
  sid?: string;
}

export function decodeClaims(token: string): Claims {
  const payload = token.split(".")[1];
  if (!payload) return {};
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as unknown;
    return claims && typeof claims === "object" ? (claims as Claims) : {};
  } catch {
    return {};
  }
}

const SIGNED_OUT: SessionSnapshot = { phase: "signed_out", user: null, expiresAt: null, endsAt: null, endedReason: null };

export class Session {
  readonly transport: Transport;
  private readonly baseUrl: string;
  private readonly rawFetch: (request: Request) => Promise<Response>;
  private readonly now: () => number;
  private readonly warnBeforeMs: number;
  private readonly logoutMarginMs: number;
  private readonly tickMs: number;

  private access: string | null = null;
  private refreshToken: string | null = null;
  private issuedAt = 0;
  private expiresAt = 0;
  private lastActivity = 0;
  private refreshing: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private state: SessionSnapshot = SIGNED_OUT;
  private readonly listeners = new Set<() => void>();

  constructor(options: SessionOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, "");
    this.rawFetch = options.fetch ?? ((request) => globalThis.fetch(request));
    this.now = options.now ?? Date.now;
    this.transport = options.transport ?? "memory";
    this.warnBeforeMs = options.warnBeforeMs ?? 120_000;
    this.logoutMarginMs = options.logoutMarginMs ?? 5_000;
    this.tickMs = options.tickMs ?? 1_000;
  }

  // --- state for React (useSyncExternalStore) ------------------------------------------------------------

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): SessionSnapshot => this.state;

  private set(next: Partial<SessionSnapshot>): void {
    this.state = { ...this.state, ...next };
    for (const listener of this.listeners) listener();
  }

  get accessToken(): string | null {
    return this.access;
  }

  /** Headers for signup/login/refresh/logout: ask for the cookie mode when the API has it. */
  authHeaders(): Record<string, string> {
    return this.transport === "cookie" ? { [COOKIE_MODE_HEADER]: "cookie" } : {};
  }

  // --- lifecycle ---------------------------------------------------------------------------------------

  /** Start (or continue) a session from a token response of signup, login or refresh. */
  begin(tokens: TokenResponse, email?: string | null): void {
    const claims = decodeClaims(tokens.access_token);
    const now = this.now();
    this.access = tokens.access_token;
    if (this.transport === "memory") this.refreshToken = tokens.refresh_token || this.refreshToken;
    this.issuedAt = now;
    this.expiresAt = now + Math.max(1, tokens.expires_in) * 1000;
    const previous = this.state.user;
    this.set({
      phase: "active",
      user: {
        userId: claims.sub ?? "",
        tenantId: claims.tid ?? "",
        role: (claims.role as Role) ?? "viewer",
        sessionId: claims.sid ?? "",
        email: email ?? (previous && previous.userId === claims.sub ? previous.email : null),
      },
      expiresAt: this.expiresAt,
      endsAt: null,
      endedReason: null,
    });
    this.startTimer();
  }

  /** Cookie mode only: pick the session up again after a reload (the refresh cookie is the credential). */
  async restore(): Promise<boolean> {
    if (this.transport !== "cookie") return false;
    try {
      await this.refresh();
      return true;
    } catch {
      return false;
    }
  }

  /** Keyboard or pointer input: the user is here, so the session may be extended without asking. */
  noteActivity(): void {
    this.lastActivity = this.now();
  }

  /** One refresh at a time; concurrent callers share it. Failure ends the session and rethrows. */
  refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    if (this.transport === "memory" && !this.refreshToken) {
      throw new ApiError(401, "no_session", "no session to refresh");
    }
    const body = this.transport === "memory" ? { refresh_token: this.refreshToken } : {};
    let response: Response;
    try {
      response = await this.rawFetch(this.jsonRequest("/auth/refresh", body));
    } catch (cause) {
      throw ApiError.network(cause); // offline for a moment is not the end of the session
    }
    const parsed = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = ApiError.fromBody(response, parsed);
      if (response.status === 401 || response.status === 403) this.end("refresh_failed");
      throw error;
    }
    this.begin(parsed as TokenResponse);
  }

  /** "Stay signed in": refresh now. */
  async staySignedIn(): Promise<void> {
    this.noteActivity();
    await this.refresh();
  }

  /** Revoke the session at the API (best effort), then forget it here. */
  async logout(reason: EndReason = "logout"): Promise<void> {
    const access = this.access;
    const body = this.transport === "memory" ? { refresh_token: this.refreshToken } : {};
    this.end(reason);
    if (!access || (this.transport === "memory" && !body.refresh_token)) return;
    try {
      const request = this.jsonRequest("/auth/logout", body);
      request.headers.set("Authorization", `Bearer ${access}`);
      await this.rawFetch(request);
    } catch {
      // Offline: the tokens are gone from this tab either way; the access token ends on its own.
    }
  }

  /** Forget everything about the session in this tab, without calling the API. */
  end(reason: EndReason): void {
    this.stopTimer();
    this.access = null;
    this.refreshToken = null;
    this.issuedAt = 0;
    this.expiresAt = 0;
    this.set({ ...SIGNED_OUT, endedReason: reason });
  }

  /** Clear the message of the last ended session (after it was shown). */
  acknowledgeEnd(): void {
    if (this.state.endedReason) this.set({ endedReason: null });
  }

  // --- authorized calls --------------------------------------------------------------------------------

  /** fetch for the typed client: adds the bearer token; a 401 refreshes once and retries. */
  readonly fetch = async (request: Request): Promise<Response> => {
    const retry = request.clone();
    const token = this.access;
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    const response = await this.rawFetch(request);
    const canRefresh = this.transport === "cookie" || !!this.refreshToken;
    if (response.status !== 401 || !token || !canRefresh) return response;
    try {
      if (this.access === token) await this.refresh();
    } catch {
      return response;
    }
    if (!this.access) return response;
    retry.headers.set("Authorization", `Bearer ${this.access}`);
    return this.rawFetch(retry);
  };

  private jsonRequest(path: string, body: unknown): Request {
    return new Request(`${this.baseUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...this.authHeaders() },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  }

  // --- the clock ---------------------------------------------------------------------------------------

  private warnWindow(): number {
    return Math.min(this.warnBeforeMs, (this.expiresAt - this.issuedAt) / 2);
  }

  /** Evaluate the session against the clock; runs every tick (tests call it directly). */
  tick(): void {
    if (this.state.phase === "signed_out" || this.refreshing) return;
    const now = this.now();
    const signOutAt = this.expiresAt - Math.min(this.logoutMarginMs, this.warnWindow() / 2);
    if (now >= signOutAt) {
      void this.logout("idle");
      return;
    }
    if (this.state.phase === "active" && now >= this.expiresAt - this.warnWindow()) {
      if (this.lastActivity > this.issuedAt) {
        this.refresh().catch(() => {
          // A failed silent refresh (offline, say) falls back to the warning at the next tick.
          if (this.state.phase === "active") this.set({ phase: "warning", endsAt: signOutAt });
        });
      } else {
        this.set({ phase: "warning", endsAt: signOutAt });
      }
    }
  }

  private startTimer(): void {
    this.stopTimer();
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
