// React side of the session: its state, the activity listener, the "stay signed in?" dialog, and the way
// back to login when a session ends (query cache cleared: nothing of the session stays in the tab).
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { session } from "../api/client";
import { Dialog } from "../components/ui";
import { forgetBatches } from "../hooks/batchStore";
import { useI18n } from "../i18n";
import type { SessionSnapshot, SessionUser } from "./session";

export function useSession(): SessionSnapshot {
  return useSyncExternalStore(session.subscribe, session.snapshot);
}

export function useSessionUser(): SessionUser | null {
  return useSession().user;
}

function format(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function SessionWarning({ endsAt }: { endsAt: number }) {
  const { t } = useI18n();
  const [now, setNow] = useState(Date.now());
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const stay = async () => {
    setBusy(true);
    try {
      await session.staySignedIn();
      toast.success(t("session.extended"));
    } catch {
      // a failed refresh ends the session; the provider takes the user to login
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={() => void stay()} title={t("session.warning.title")} role="alertdialog" testId="session-warning">
      <p aria-live="polite">{t("session.warning.body", { time: format(endsAt - now) })}</p>
      <div className="actions">
        <button type="button" className="button secondary" onClick={() => void session.logout("logout")}>
          {t("session.warning.leave")}
        </button>
        <button type="button" className="button primary" onClick={() => void stay()} disabled={busy} autoFocus>
          {t("session.warning.stay")}
        </button>
      </div>
    </Dialog>
  );
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const state = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  useEffect(() => {
    const note = () => session.noteActivity();
    const options = { passive: true, capture: true } as const;
    window.addEventListener("keydown", note, options);
    window.addEventListener("pointerdown", note, options);
    return () => {
      window.removeEventListener("keydown", note, options);
      window.removeEventListener("pointerdown", note, options);
    };
  }, []);

  useEffect(() => {
    if (state.phase === "signed_out" && state.endedReason) {
      queryClient.clear();
      forgetBatches();
      navigate("/login", { replace: true });
    }
  }, [state.phase, state.endedReason, queryClient, navigate]);

  return (
    <>
      {children}
      {state.phase === "warning" && state.endsAt && <SessionWarning endsAt={state.endsAt} />}
    </>
  );
}
