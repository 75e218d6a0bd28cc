// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { ReportDiff } from "../api/types";
import { DiffView } from "../components/DiffView";
import { I18nProvider, translate } from "../i18n";
import { describeDiff } from "./diff";

const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate("pt-BR", key, vars);

// A diff as radar/checks/diff.py writes it.
const DIFF: ReportDiff = {
  baseline: false,
  previous_check_id: "c1",
  changed: true,
  changes: [
    { field: "address.city", from: "SALVADOR", to: "SAO PAULO" },
    { field: "share_capital", from: "1000.00", to: "2500000.50" },
    { field: "status", from: "ATIVA", to: "BAIXADA" },
    { field: "status_date", from: "2005-01-31", to: "2026-06-01" },
    { field: "trade_name", from: null, to: "ACME" },
    { field: "secondary_cnaes", from: ["6201501", "6202300"], to: [] },
  ],
  partners_in: [{ name: "MARIA DA SILVA", document: "***123456**", role: "Sócio-Administrador" }],
  partners_out: [{ name: "JOAO SOUZA", document: "98765432100", role: "Sócio" }],
};

describe("diff rendering", () => {
  it("names fields in words and formats values like the report", () => {
    const view = describeDiff(DIFF, t, "pt-BR")!;
    const rows = Object.fromEntries(view.rows.map((r) => [r.field, r]));
    expect(rows["address.city"]).toMatchObject({ label: "Endereço: município", from: "SALVADOR", to: "SAO PAULO", kind: "changed" });
    expect(rows["share_capital"]).toMatchObject({ label: "Capital social", from: "R$ 1.000,00", to: "R$ 2.500.000,50" });
    expect(rows["status"]).toMatchObject({ from: "Ativa", to: "Baixada" });
    expect(rows["status_date"]).toMatchObject({ from: "31/01/2005", to: "01/06/2026" });
    expect(rows["trade_name"]).toMatchObject({ kind: "added", from: "(vazio)" });
    expect(rows["secondary_cnaes"]).toMatchObject({ kind: "removed", from: "6201-5/01, 6202-3/00" });
    expect(view.count).toBe(8);
  });

  it("masks partner documents, even a full CPF", () => {
    const view = describeDiff(DIFF, t, "pt-BR")!;
    expect(view.partnersIn[0]).toEqual({ name: "MARIA DA SILVA", document: "***.123.456-**", role: "Sócio-Administrador" });
    expect(view.partnersOut[0]!.document).toBe("***.654.321-**");
  });

  it("a baseline and an empty diff say so", () => {
    expect(describeDiff({ ...DIFF, baseline: true, changes: [], partners_in: [], partners_out: [], changed: false }, t, "pt-BR")).toMatchObject({
      baseline: true,
      changed: false,
    });
    expect(describeDiff(null, t, "pt-BR")).toBeNull();
  });
});

describe("DiffView", () => {
  afterEach(cleanup);

  it("highlights each change with before and after, and partners in and out", () => {
    render(
      <I18nProvider locale="pt-BR">
        <DiffView diff={DIFF} />
      </I18nProvider>,
    );
    const city = document.querySelector('[data-field="address.city"]')!;
    expect(city.querySelector("del")!.textContent).toBe("SALVADOR");
    expect(city.querySelector("ins")!.textContent).toBe("SAO PAULO");
    expect(screen.getByText("8 mudanças")).toBeTruthy();
    expect(screen.getByTestId("partners-in").textContent).toContain("***.123.456-**");
    expect(screen.getByTestId("partners-out").querySelector("del")!.textContent).toContain("JOAO SOUZA");
    expect(document.body.textContent).not.toContain("98765432100");
  });

  it("in English too", () => {
    render(
      <I18nProvider locale="en">
        <DiffView diff={DIFF} />
      </I18nProvider>,
    );
    expect(screen.getByText("8 changes")).toBeTruthy();
    expect(document.querySelector('[data-field="address.city"] .diff-field')!.textContent).toBe("Address: city");
  });
});
