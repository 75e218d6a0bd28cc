// One check by id (from a batch or the history): its progress until final, then its report or its failure.
import { Link, useParams } from "react-router";
import { attemptsOf, diffOf, isFinal, reportOf } from "../api/types";
import { CheckProgress } from "../components/CheckProgress";
import { DiffView } from "../components/DiffView";
import { ErrorNotice, ProviderErrors } from "../components/errors";
import { ReportView } from "../components/ReportView";
import { PageTitle, Skeleton, useTitle } from "../components/ui";
import { useCheckPolling } from "../hooks/checks";
import { useI18n } from "../i18n";
import { shortId } from "../lib/format";
import { failureText } from "./TargetPage";

export function CheckPage() {
  const { checkId = "" } = useParams();
  const { t } = useI18n();
  useTitle(t("check.page.title", { id: shortId(checkId) }));
  const check = useCheckPolling(checkId);
  if (check.isPending) return <Skeleton lines={8} />;
  if (check.isError && !check.data) return <ErrorNotice error={check.error} onRetry={() => void check.refetch()} />;
  const data = check.data;
  const report = reportOf(data);
  return (
    <>
      <PageTitle actions={<Link to={`/targets/${data.target_id}`}>{t("check.openTarget")}</Link>}>
        {t("check.page.title", { id: shortId(data.id) })}
        <span className="subtitle mono">{data.cnpj_formatted}</span>
      </PageTitle>
      <CheckProgress check={data} />
      {isFinal(data) && data.status === "failed" && <ProviderErrors title={failureText(data, t)} attempts={attemptsOf(data)} />}
      {report && <ReportView report={report} check={data} />}
      {report && (
        <section className="card">
          <h2>{t("history.title")}</h2>
          <DiffView diff={diffOf(data)} />
        </section>
      )}
    </>
  );
}
