// The companies a tenant follows: search (CNPJ or label), tag filter, cursor paging, skeletons, an empty
// state that invites the first company, and the add form with the live CNPJ input.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { toast } from "sonner";
import { api, call, untypedCall } from "../api/client";
import { ApiError } from "../api/errors";
import { FEATURES } from "../api/features";
import { ROLE_RANK, type Target } from "../api/types";
import { useSessionUser } from "../auth/SessionProvider";
import { CnpjInput } from "../components/CnpjInput";
import { LabelAndTagsFields, parseTags } from "../components/TargetFields";
import { ErrorNotice } from "../components/errors";
import { DataTable, EmptyState, Field, PageTitle, Skeleton, useTitle } from "../components/ui";
import { useI18n } from "../i18n";
import { stripCnpj, validateCnpj } from "../lib/cnpj";
import { formatDate } from "../lib/format";

const PAGE_SIZE = 20;
export const TARGETS_START_MARK = "radar:targets-start";
export const TARGETS_RENDERED_MARK = "radar:targets-rendered";

interface TargetPage {
  items: Target[];
  next_cursor?: string | null;
}

function fetchTargets(cursor: string | undefined, q: string, tag: string): Promise<TargetPage> {
  if ((q && FEATURES.targetSearch) || (tag && FEATURES.targetTagFilter)) {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) params.set("cursor", cursor);
    if (q) params.set("q", q);
    if (tag) params.set("tag", tag);
    return untypedCall<TargetPage>("GET", `/targets?${params}`);
  }
  return call(api.GET("/targets", { params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } }));
}

/** Does a target match the search text (CNPJ in any mask, or a piece of its label)? */
export function matchesSearch(target: Target, q: string): boolean {
  const text = q.trim();
  if (!text) return true;
  const bare = stripCnpj(text);
  if (bare && /^[0-9A-Z]+$/.test(bare) && target.cnpj.includes(bare)) return true;
  return (target.label ?? "").toLocaleLowerCase("pt-BR").includes(text.toLocaleLowerCase("pt-BR"));
}

export function TargetsPage() {
  const { t } = useI18n();
  useTitle("targets.title");
  const user = useSessionUser();
  const canWrite = (ROLE_RANK[user?.role ?? ""] ?? 0) >= 2;
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const tag = params.get("tag") ?? "";
  const [adding, setAdding] = useState(params.get("new") === "1");
  const serverFiltered = (q && FEATURES.targetSearch) || (tag && FEATURES.targetTagFilter);

  const query = useInfiniteQuery({
    queryKey: ["targets", serverFiltered ? { q, tag } : {}],
    queryFn: ({ pageParam }) => fetchTargets(pageParam, serverFiltered ? q : "", serverFiltered ? tag : ""),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });

  const loaded = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  // Every tag of the tenant when the API lists them (GET /targets/tags, API_NEEDS.md 3), else those of the pages loaded.
  const tenantTags = useQuery({
    queryKey: ["target-tags"],
    queryFn: () => untypedCall<{ items: { tag: string; count: number }[] }>("GET", "/targets/tags"),
    enabled: FEATURES.targetTags,
    staleTime: 30_000,
  });
  const tags = useMemo(
    () =>
      tenantTags.data
        ? tenantTags.data.items.map((item) => item.tag).sort()
        : [...new Set(loaded.flatMap((x) => x.tags ?? []))].sort(),
    [loaded, tenantTags.data],
  );
  const shown = useMemo(
    () => loaded.filter((x) => matchesSearch(x, q) && (!tag || (x.tags ?? []).includes(tag))),
    [loaded, q, tag],
  );
  const filtering = !!(q || tag);

  // The performance timeline's view of this page (scripts/console/bench.py): from the route's first render to the
  // first paint of the list with its data.
  useState(() => performance.mark(TARGETS_START_MARK));
  useEffect(() => {
    if (query.isSuccess) requestAnimationFrame(() => performance.mark(TARGETS_RENDERED_MARK));
  }, [query.isSuccess]);

  const setFilter = (name: "q" | "tag", value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageTitle
        actions={
          canWrite && (
            <button type="button" className="button primary" onClick={() => setAdding((a) => !a)} aria-expanded={adding} data-testid="add-target">
              {t("targets.add")}
            </button>
          )
        }
      >
        {t("targets.title")}
      </PageTitle>
      {adding && canWrite && <NewTargetForm onDone={() => setAdding(false)} />}
      <div className="filters" role="search">
        <Field id="targets-search" label={t("targets.search")}>
          {(props) => (
            <input {...props} className="input" type="search" value={q} onChange={(e) => setFilter("q", e.target.value)} data-testid="targets-search" />
          )}
        </Field>
        <Field id="targets-tag" label={t("targets.tagFilter")}>
          {(props) => (
            <select {...props} className="input" value={tag} onChange={(e) => setFilter("tag", e.target.value)} data-testid="targets-tag">
              <option value="">{t("targets.allTags")}</option>
              {[...new Set([...tags, ...(tag ? [tag] : [])])].map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {query.isPending && <Skeleton lines={6} />}
      {query.isError && <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && loaded.length === 0 && !filtering && (
        <EmptyState
          title={t("targets.empty.title")}
          action={
            canWrite && !adding ? (
              <button type="button" className="button primary" onClick={() => setAdding(true)}>
                {t("targets.add")}
              </button>
            ) : undefined
          }
        >
          {t("targets.empty.body")}
        </EmptyState>
      )}
      {query.isSuccess && (loaded.length > 0 || filtering) && (
        <>
          {filtering && !serverFiltered && query.hasNextPage && (
            <p className="hint" data-testid="filter-note">
              {t("targets.filterNote", { count: loaded.length })}
            </p>
          )}
          {shown.length === 0 ? (
            <p className="notice notice-info">{t("targets.noMatch")}</p>
          ) : (
            <DataTable label={t("targets.title")} columns={[t("targets.col.company"), t("targets.col.cnpj"), t("targets.col.tags"), t("targets.col.created")]} testId="targets-table">
                  {shown.map((target) => (
                    <tr key={target.id} data-target-id={target.id}>
                      <td data-label={t("targets.col.company")}>
                        <Link to={`/targets/${target.id}`}>{target.label || target.cnpj_formatted}</Link>
                      </td>
                      <td data-label={t("targets.col.cnpj")} className="mono">
                        {target.cnpj_formatted}
                      </td>
                      <td data-label={t("targets.col.tags")}>
                        {(target.tags ?? []).length === 0 && <span className="muted">—</span>}
                        {(target.tags ?? []).map((name) => (
                          <span key={name} className="tag">
                            {name}
                          </span>
                        ))}
                      </td>
                      <td data-label={t("targets.col.created")}>{formatDate(target.created_at)}</td>
                    </tr>
                  ))}
                </DataTable>
          )}
          {query.hasNextPage && (
            <button type="button" className="button secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage} data-testid="load-more">
              {query.isFetchingNextPage ? t("app.loading") : t("app.loadMore")}
            </button>
          )}
        </>
      )}
    </>
  );
}

function NewTargetForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [cnpj, setCnpj] = useState("");
  const [label, setLabel] = useState("");
  const [tags, setTags] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      call(
        api.POST("/targets", {
          body: {
            cnpj,
            label: label.trim() || null,
            tags: parseTags(tags),
          },
        }),
      ),
    onSuccess: async (target) => {
      toast.success(t("target.created"));
      await queryClient.invalidateQueries({ queryKey: ["targets"] });
      onDone();
      navigate(`/targets/${target.id}`);
    },
  });
  const error = create.error instanceof ApiError ? create.error : null;
  const existingId =
    error?.status === 409 ? ((error.details as { existing_id?: string } | null)?.existing_id ?? null) : null;
  const cnpjServerError = existingId ? t("target.exists") : (error?.problemFor("cnpj")?.message ?? null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!validateCnpj(cnpj).ok) return;
    create.mutate();
  };

  return (
    <form className="card form-card" onSubmit={submit} noValidate aria-label={t("target.new.title")} data-testid="new-target-form">
      <h2>{t("target.new.title")}</h2>
      <CnpjInput
        id="new-target-cnpj"
        label={t("target.field.cnpj")}
        hint={t("target.field.cnpjHint")}
        value={cnpj}
        onChange={(value) => {
          setCnpj(value);
          if (create.isError) create.reset();
        }}
        serverError={cnpjServerError}
        showErrors={submitted}
        autoFocus
      />
      {existingId && (
        <p>
          <Link to={`/targets/${existingId}`}>{t("target.openExisting")}</Link>
        </p>
      )}
      <LabelAndTagsFields idPrefix="new-target" label={label} tags={tags} onLabel={setLabel} onTags={setTags} error={error} />
      {error && !cnpjServerError && !error.problemFor("label") && !error.problemFor("tags") && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="button" className="button secondary" onClick={onDone}>
          {t("app.cancel")}
        </button>
        <button type="submit" className="button primary" disabled={create.isPending} data-testid="create-target">
          {create.isPending ? t("app.loading") : t("target.create")}
        </button>
      </div>
    </form>
  );
}
