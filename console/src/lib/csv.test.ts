import { describe, expect, it } from "vitest";
import { parseCsv, parsePasted, splitCsvLine, toCsv } from "./csv";

describe("pasted lists", () => {
  it("one per line or comma separated; invalid lines reported with their number; repeats counted once", () => {
    const parsed = parsePasted("11.222.333/0001-81\n19131243000197, 12.abc.345/01de-35\n\n11222333000182\n11222333000181\n");
    expect(parsed.valid).toEqual(["11222333000181", "19131243000197", "12ABC34501DE35"]);
    expect(parsed.invalid).toEqual([{ line: 4, input: "11222333000182", reason: "wrong_check_digits" }]);
    expect(parsed.duplicates).toBe(1);
  });
});

describe("CSV files", () => {
  it("skips a header and takes the cnpj column", () => {
    const parsed = parseCsv('nome;CNPJ\r\n"ACME; Ltda";11.222.333/0001-81\r\nOther;123\r\n');
    expect(parsed.valid).toEqual(["11222333000181"]);
    expect(parsed.invalid).toEqual([{ line: 3, input: "123", reason: "wrong_length" }]);
  });

  it("a single column without header", () => {
    expect(parseCsv("\uFEFF19131243000197\n11222333000181\n").valid).toEqual(["19131243000197", "11222333000181"]);
  });

  it("quoted cells with escaped quotes", () => {
    expect(splitCsvLine('"a ""b""",c', ",")).toEqual(['a "b"', "c"]);
  });
});

describe("CSV output", () => {
  it("escapes separators and neutralises spreadsheet formulas", () => {
    expect(toCsv(["a", "b"], [["=HYPERLINK(1)", 'x,"y"']])).toBe("a,b\r\n'=HYPERLINK(1),\"x,\"\"y\"\"\"\r\n");
  });
});
