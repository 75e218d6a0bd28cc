// Users and roles: invite (with an initial password), the list; change role, remove and sign out everywhere
// appear when the API has them (console/API_NEEDS.md 3).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { api, call, untypedCall } from "../../api/client";
import { ApiError } from "../../api/errors";
import { FEATURES } from "../../api/features";
import { type Role, type User } from "../../api/types";
import { useSessionUser } from "../../auth/SessionProvider";
import { ErrorNotice } from "../../components/errors";
import { RoleOptions, DataTable, ConfirmDialog, EmptyState, Field, PageTitle, Skeleton, useTitle } from "../../components/ui";
import { useI18n } from "../../i18n";
import { formatDate } from "../../lib/format";

export default function UsersPage() {
  const { t } = useI18n();
  useTitle("users.title");
  const me = useSessionUser();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ["users"], queryFn: () => call(api.GET("/users")) });
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("analyst");
  const [password, setPassword] = useState("");
  const [removing, setRemoving] = useState<User | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["users"] });

  const invite = useMutation({
    mutationFn: () => call(api.POST("/users", { body: { email: email.trim(), role, password } })),
    onSuccess: () => {
      toast.success(t("users.invited"));
      setEmail("");
      setPassword("");
      refresh();
    },
  });
  const changeRole = useMutation({
    mutationFn: ({ user, role }: { user: User; role: Role }) => untypedCall("PATCH", `/users/${encodeURIComponent(user.user_id)}`, { role }),
    onSuccess: () => {
      toast.success(t("users.roleChanged"));
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (user: User) => untypedCall("DELETE", `/users/${encodeURIComponent(user.user_id)}`),
    onSuccess: () => {
      toast.success(t("users.removed"));
      refresh();
    },
  });
  const revokeSessions = useMutation({
    mutationFn: (user: User) => untypedCall("POST", `/users/${encodeURIComponent(user.user_id)}/sessions/revoke`),
    onSuccess: () => toast.success(t("users.sessionsRevoked")),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  const error = invite.error instanceof ApiError ? invite.error : null;
  const problem = (field: string) => error?.problemFor(field)?.message ?? null;
  const manage = FEATURES.userRoleChange || FEATURES.userRemove || FEATURES.userSessionsRevoke;

  return (
    <>
      <PageTitle>{t("users.title")}</PageTitle>
      <form className="card form-card" onSubmit={submit} noValidate data-testid="invite-form">
        <h2>{t("users.invite")}</h2>
        <Field id="invite-email" label={t("users.email")} error={error?.status === 409 ? t("auth.error.emailTaken") : problem("email")}>
          {(props) => <input {...props} className="input" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />}
        </Field>
        <Field id="invite-role" label={t("users.role")}>
          {(props) => (
            <select {...props} className="input" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <RoleOptions />
            </select>
          )}
        </Field>
        <Field id="invite-password" label={t("users.initialPassword")} hint={t("auth.field.passwordHint")} error={problem("password")}>
          {(props) => (
            <input {...props} className="input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          )}
        </Field>
        {error && !error.fieldProblems.length && error.status !== 409 && <ErrorNotice error={error} />}
        <button type="submit" className="button primary" disabled={invite.isPending}>
          {t("users.invite")}
        </button>
      </form>

      {!manage && (
        <p className="notice notice-info" data-testid="users-manage-unavailable">
          {t("users.manageUnavailable")}
        </p>
      )}
      {users.isPending && <Skeleton lines={4} />}
      {users.isError && <ErrorNotice error={users.error} onRetry={() => void users.refetch()} />}
      {users.isSuccess && users.data.items.length === 0 && <EmptyState title={t("users.empty")} />}
      {users.isSuccess && users.data.items.length > 0 && (
        <DataTable label={t("users.title")} columns={[t("users.email"), t("users.role"), t("users.since"), ...(manage ? [<span className="visually-hidden">{t("users.changeRole")}</span>] : [])]} testId="users-table">
              {users.data.items.map((user) => (
                <tr key={user.user_id}>
                  <td data-label={t("users.email")}>{user.email}</td>
                  <td data-label={t("users.role")}>
                    {FEATURES.userRoleChange && user.user_id !== me?.userId ? (
                      <select
                        className="input"
                        aria-label={`${t("users.changeRole")}: ${user.email}`}
                        value={user.role}
                        onChange={(e) => changeRole.mutate({ user, role: e.target.value as Role })}
                      >
                        <RoleOptions />
                      </select>
                    ) : (
                      t(`role.${user.role as Role}`)
                    )}
                  </td>
                  <td data-label={t("users.since")}>{formatDate(user.created_at)}</td>
                  {manage && (
                    <td>
                      {FEATURES.userSessionsRevoke && (
                        <button type="button" className="button secondary small" onClick={() => revokeSessions.mutate(user)}>
                          {t("users.signOutEverywhere")}
                        </button>
                      )}
                      {FEATURES.userRemove && user.user_id !== me?.userId && (
                        <button type="button" className="button danger small" onClick={() => setRemoving(user)}>
                          {t("users.remove")}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </DataTable>
      )}
      {[changeRole, remove, revokeSessions].map((m, i) => (m.isError ? <ErrorNotice key={i} error={m.error} /> : null))}
      <ConfirmDialog
        open={!!removing}
        title={t("users.remove")}
        body={t("users.removeConfirm", { email: removing?.email ?? "" })}
        confirmLabel={t("users.remove")}
        danger
        onConfirm={() => {
          if (removing) remove.mutate(removing);
          setRemoving(null);
        }}
        onClose={() => setRemoving(null)}
      />
    </>
  );
}
