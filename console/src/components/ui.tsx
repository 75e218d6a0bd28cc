// Small building blocks shared by the pages: skeletons, empty states, badges, dialogs, fields.
import { useEffect, useId, useRef, type ReactNode } from "react";
import { ROLES } from "../api/types";
import { useI18n, hasKey, type MessageKey } from "../i18n";

export function Skeleton({ lines = 3, label }: { lines?: number; label?: string }) {
  const { t } = useI18n();
  return (
    <div className="skeleton-block" aria-busy="true" role="status" data-testid="skeleton">
      <span className="visually-hidden">{label ?? t("app.loading")}</span>
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton" aria-hidden="true" style={{ width: `${90 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state" data-testid="empty-state">
      <svg aria-hidden="true" viewBox="0 0 48 48" width="48" height="48">
        <circle cx="24" cy="24" r="20" fill="none" stroke="currentColor" strokeWidth="3" />
        <circle cx="24" cy="24" r="9" fill="none" stroke="currentColor" strokeWidth="3" />
        <circle cx="24" cy="24" r="2.5" fill="currentColor" />
      </svg>
      <h2>{title}</h2>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

const STATUS_TONE: Record<string, string> = {
  ATIVA: "ok",
  BAIXADA: "bad",
  INAPTA: "bad",
  SUSPENSA: "warn",
  NULA: "bad",
};

export function StatusBadge({ status }: { status: string | null | undefined }) {
  const { t } = useI18n();
  const key = `status.${status ?? ""}`;
  const label = status && hasKey(key) ? t(key) : t("status.unknown");
  return (
    <span className={`badge badge-${STATUS_TONE[status ?? ""] ?? "muted"}`} data-status={status ?? "unknown"}>
      {label}
    </span>
  );
}

const CHECK_TONE: Record<string, string> = { queued: "info", running: "info", succeeded: "ok", failed: "bad" };

export function CheckStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `check.status.${status}`;
  return (
    <span className={`badge badge-${CHECK_TONE[status] ?? "muted"}`} data-check-status={status}>
      {hasKey(key) ? t(key) : status}
    </span>
  );
}

/** A modal dialog on the native <dialog>: focus moves in, Esc closes, focus returns to the opener. */
export function Dialog({
  open,
  onClose,
  title,
  children,
  role = "dialog",
  testId,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  role?: "dialog" | "alertdialog";
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      const opener = document.activeElement as HTMLElement | null;
      dialog.showModal?.();
      return () => opener?.focus?.();
    }
    if (!open && dialog.open) dialog.close();
    return undefined;
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      role={role}
      aria-labelledby={titleId}
      aria-modal="true"
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      data-testid={testId}
    >
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}

export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  danger,
  busy,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <Dialog open={open} onClose={onClose} title={title} role="alertdialog" testId="confirm-dialog">
      <p>{body}</p>
      <div className="actions">
        <button type="button" className="button secondary" onClick={onClose} autoFocus>
          {t("app.cancel")}
        </button>
        <button
          type="button"
          className={`button ${danger ? "danger" : "primary"}`}
          onClick={onConfirm}
          disabled={busy}
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

/** A labelled form field with hint and error wired for assistive technology. */
export function Field({
  label,
  hint,
  error,
  children,
  id,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  id: string;
  children: (props: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean }) => ReactNode;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

// Set by the layout when the user moves to another page; the next page heading to mount takes the focus, so
// keyboard and screen-reader users start at the top of the new page (lazy pages mount after the navigation).
let focusNextTitle = false;
export function focusPageTitle(main: HTMLElement | null): void {
  const heading = main?.querySelector<HTMLElement>("[data-page-title]");
  focusNextTitle = !heading;
  (heading ?? main)?.focus();
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusNextTitle && heading.current) {
      focusNextTitle = false;
      heading.current.focus();
    }
  }, []);
  return (
    <div className="page-title">
      <h1 tabIndex={-1} data-page-title ref={heading}>
        {children}
      </h1>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

export function useTitle(key: MessageKey | string) {
  const { t } = useI18n();
  const text = hasKey(key) ? t(key) : key;
  useEffect(() => {
    document.title = `${text} · cnpj-radar`;
  }, [text]);
}

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={max} aria-valuenow={value} aria-label={label}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}

/** A table that scrolls inside its own region on narrow screens (and becomes stacked cards on phones). */
export function DataTable({
  label,
  labelledBy,
  columns,
  testId,
  attrs,
  children,
}: {
  label?: string;
  labelledBy?: string;
  columns: ReactNode[];
  testId?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={labelledBy ? undefined : label} aria-labelledby={labelledBy}>
      <table className="table" data-testid={testId} {...attrs}>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function RoleOptions() {
  const { t } = useI18n();
  return (
    <>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {t(`role.${role}`)}
        </option>
      ))}
    </>
  );
}

/** A row of headline numbers: [label, value, test id] each. */
export function Stats({ items, testId }: { items: [string, string, string][]; testId?: string }) {
  return (
    <div className="stats" data-testid={testId}>
      {items.map(([label, value, id]) => (
        <div className="stat" key={id}>
          <span className="stat-label">{label}</span>
          <span className="stat-value" data-testid={id}>
            {value}
          </span>
        </div>
      ))}
    </div>
  );
}

/** Term and value pairs (label on the left, value on the right; stacked on phones). */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl>
      {items.map(([term, value]) => (
        <div className="kv" key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
