import { describe, expect, it } from "vitest";
import { formatAge, secondaryCnaes } from "./ReportView";

describe("secondary CNAEs", () => {
  it("lists the codes alone while the API sends no descriptions", () => {
    expect(secondaryCnaes({ secondary_cnaes: ["6201501", "6202300"] })).toEqual([
      { code: "6201501", description: null },
      { code: "6202300", description: null },
    ]);
    expect(secondaryCnaes({})).toEqual([]);
  });

  it("uses secondary_cnae_details when they are there, keeping every code once", () => {
    expect(
      secondaryCnaes({
        secondary_cnaes: ["6201501", "6202300"],
        secondary_cnae_details: [
          { code: "6201501", description: "Desenvolvimento de programas de computador sob encomenda" },
          { code: "7020400", description: "Consultoria em gestão empresarial" },
        ],
      }),
    ).toEqual([
      { code: "6201501", description: "Desenvolvimento de programas de computador sob encomenda" },
      { code: "6202300", description: null },
      { code: "7020400", description: "Consultoria em gestão empresarial" },
    ]);
  });
});

describe("data age", () => {
  it("reads as its largest whole unit", () => {
    expect([formatAge(4.2), formatAge(59), formatAge(60), formatAge(3599), formatAge(7200), formatAge(3 * 86400 + 5)])
      .toEqual(["4 s", "59 s", "1 min", "59 min", "2 h", "3 d"]);
  });
});
