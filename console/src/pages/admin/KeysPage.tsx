// API keys: create (the key shown once, with a copy button), the masked list with last use, revoke with
// confirmation.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/errors";
import { type ApiKey, type ApiKeyCreated, type Role } from "../../api/types";
import { ErrorNotice } from "../../components/errors";
import { RoleOptions, DataTable, ConfirmDialog, Dialog, EmptyState, Field, PageTitle, Skeleton, useTitle } from "../../components/ui";
import { useI18n } from "../../i18n";
import { formatDateTime } from "../../lib/format";

export default function KeysPage() {
  const { t, locale } = useI18n();
  useTitle("keys.title");
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ["api-keys"], queryFn: () => call(api.GET("/api-keys")) });
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("analyst");
  const [shown, setShown] = useState<ApiKeyCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [copied, setCopied] = useState(false);

  const create = useMutation({
    mutationFn: () => call(api.POST("/api-keys", { body: { name: name.trim(), role } })),
    onSuccess: (created) => {
      setShown(created);
      setCopied(false);
      setName("");
      toast.success(t("keys.createdToast"));
      void queryClient.invalidateQueries({ queryKey: ["api-keys"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => call(api.DELETE("/api-keys/{key_id}", { params: { path: { key_id: key.key_id } } })),
    onSuccess: () => {
      toast.success(t("keys.revokedToast"));
      void queryClient.invalidateQueries({ queryKey: ["api-keys"] });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const copy = async () => {
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(shown.key);
      setCopied(true);
      toast.success(t("app.copied"));
    } catch {
      // Clipboard refused (permissions): the key stays selected in the field for a manual copy.
      document.querySelector<HTMLInputElement>("#new-key-value")?.select();
    }
  };
  const error = create.error instanceof ApiError ? create.error : null;

  return (
    <>
      <PageTitle>{t("keys.title")}</PageTitle>
      <p className="muted">{t("keys.intro")}</p>
      <form className="card form-card inline-form" onSubmit={submit} noValidate data-testid="key-form">
        <Field id="key-name" label={t("keys.name")} error={error?.problemFor("name")?.message}>
          {(props) => <input {...props} className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required data-testid="key-name" />}
        </Field>
        <Field id="key-role" label={t("keys.role")}>
          {(props) => (
            <select {...props} className="input" value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="key-role">
              <RoleOptions />
            </select>
          )}
        </Field>
        <button type="submit" className="button primary" disabled={create.isPending || !name.trim()} data-testid="key-create">
          {t("keys.create")}
        </button>
      </form>
      {error && !error.problemFor("name") && <ErrorNotice error={error} />}

      {keys.isPending && <Skeleton lines={4} />}
      {keys.isError && <ErrorNotice error={keys.error} onRetry={() => void keys.refetch()} />}
      {keys.isSuccess && keys.data.items.length === 0 && <EmptyState title={t("keys.empty")} />}
      {keys.isSuccess && keys.data.items.length > 0 && (
        <DataTable label={t("keys.title")} columns={[t("keys.name"), t("keys.prefix"), t("keys.role"), t("keys.created"), t("keys.lastUsed"), t("keys.status"), <span className="visually-hidden">{t("keys.revoke")}</span>]} testId="keys-table">
              {keys.data.items.map((key) => (
                <tr key={key.key_id} data-key-id={key.key_id} data-revoked={String(key.revoked)}>
                  <td data-label={t("keys.name")}>{key.name}</td>
                  <td data-label={t("keys.prefix")} className="mono">
                    {key.prefix}
                  </td>
                  <td data-label={t("keys.role")}>{t(`role.${key.role as Role}`)}</td>
                  <td data-label={t("keys.created")}>{formatDateTime(key.created_at, locale)}</td>
                  <td data-label={t("keys.lastUsed")}>{key.last_used_at ? formatDateTime(key.last_used_at, locale) : t("keys.neverUsed")}</td>
                  <td data-label={t("keys.status")}>
                    <span className={`badge ${key.revoked ? "badge-muted" : "badge-ok"}`}>{key.revoked ? t("keys.revoked") : t("keys.active")}</span>
                  </td>
                  <td>
                    {!key.revoked && (
                      <button type="button" className="button danger small" onClick={() => setRevoking(key)} data-testid="key-revoke">
                        {t("keys.revoke")}
                        <span className="visually-hidden"> {key.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
      )}
      {revoke.isError && <ErrorNotice error={revoke.error} />}

      <Dialog open={!!shown} onClose={() => setShown(null)} title={t("keys.shownOnce.title")} testId="key-shown">
        <p>{t("keys.shownOnce.body")}</p>
        <label htmlFor="new-key-value" className="visually-hidden">
          {t("keys.prefix")}
        </label>
        <input id="new-key-value" className="input mono" readOnly value={shown?.key ?? ""} onFocus={(e) => e.target.select()} data-testid="new-key-value" />
        <div className="actions">
          <button type="button" className="button secondary" onClick={() => void copy()} data-testid="key-copy">
            {copied ? t("app.copied") : t("app.copy")}
          </button>
          <button type="button" className="button primary" onClick={() => setShown(null)} data-testid="key-shown-close">
            {t("app.close")}
          </button>
        </div>
      </Dialog>
      <ConfirmDialog
        open={!!revoking}
        title={t("keys.revoke")}
        body={t("keys.revokeConfirm", { name: revoking?.name ?? "" })}
        confirmLabel={t("keys.revoke")}
        danger
        busy={revoke.isPending}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking);
          setRevoking(null);
        }}
        onClose={() => setRevoking(null)}
      />
    </>
  );
}
