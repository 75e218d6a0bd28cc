// The organization and its deletion, behind a typed confirmation (its exact name). Today DELETE /tenant purges
// and answers 204; when it becomes a job (202, GET /tenant/deletion: console/API_NEEDS.md 4) the page follows it.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, call, session, untypedCall } from "../../api/client";
import { FEATURES } from "../../api/features";
import { ErrorNotice } from "../../components/errors";
import { Facts, Field, PageTitle, Skeleton, useTitle } from "../../components/ui";
import { useI18n } from "../../i18n";
import { formatDateTime } from "../../lib/format";

interface DeletionJob {
  state: string;
  done?: boolean;
}

async function waitForDeletion(onState: (state: string) => void): Promise<void> {
  for (;;) {
    const job = await untypedCall<DeletionJob>("GET", "/tenant/deletion").catch(() => null);
    if (!job || job.done || job.state === "succeeded") return;
    onState(job.state);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

export default function TenantPage() {
  const { t, locale } = useI18n();
  useTitle("tenant.title");
  const tenant = useQuery({ queryKey: ["tenant"], queryFn: () => call(api.GET("/tenant")) });
  const [typed, setTyped] = useState("");
  const [jobState, setJobState] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: async () => {
      await call(api.DELETE("/tenant"));
      if (FEATURES.tenantDeletionJob) await waitForDeletion(setJobState);
    },
    onSuccess: () => session.end("tenant_deleted"),
  });

  if (tenant.isPending) return <Skeleton lines={4} />;
  if (tenant.isError) return <ErrorNotice error={tenant.error} onRetry={() => void tenant.refetch()} />;
  const name = tenant.data.name;
  const matches = typed.trim() === name.trim();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (matches) remove.mutate();
  };
  return (
    <>
      <PageTitle>{t("tenant.title")}</PageTitle>
      <section className="card">
        <h2 data-testid="tenant-name">{name}</h2>
        <Facts
          items={[
            [t("tenant.id"), <span className="mono">{tenant.data.tenant_id}</span>],
            [t("tenant.created"), formatDateTime(tenant.data.created_at, locale)],
          ]}
        />
      </section>
      <form className="card danger-zone" onSubmit={submit} noValidate data-testid="delete-tenant-form">
        <h2>{t("tenant.danger")}</h2>
        <p>{t("tenant.dangerBody")}</p>
        <Field id="tenant-confirm" label={t("tenant.typeToConfirm", { name })}>
          {(props) => <input {...props} className="input" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" data-testid="tenant-confirm" />}
        </Field>
        {remove.isError && <ErrorNotice error={remove.error} />}
        {jobState && <p aria-live="polite">{t("tenant.deletionProgress", { state: jobState })}</p>}
        <button type="submit" className="button danger" disabled={!matches || remove.isPending} data-testid="tenant-delete">
          {remove.isPending ? t("tenant.deleting") : t("tenant.delete")}
        </button>
      </form>
    </>
  );
}
