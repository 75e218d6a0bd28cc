import { describe, expect, it } from "vitest";
import { formatBRL, formatCep, formatCnae, formatDate, formatDateTime, formatPhone, maskDocument, shortId } from "./format";

describe("formats", () => {
  it("dates are dd/mm/aaaa without a time-zone shift", () => {
    expect(formatDate("2005-01-31")).toBe("31/01/2005");
    expect(formatDate("1999-12-01")).toBe("01/12/1999");
    expect(formatDate(null)).toBe("");
  });

  it("instants are dd/mm/aaaa hh:mm", () => {
    expect(formatDateTime("2026-03-04T05:06:00Z")).toMatch(/^\d{2}\/\d{2}\/2026 \d{2}:\d{2}$/);
  });

  it("BRL is exact, whatever the size", () => {
    expect(formatBRL("1000.00")).toBe("R$ 1.000,00");
    expect(formatBRL("123456789012345.67")).toBe("R$ 123.456.789.012.345,67");
    expect(formatBRL("0.5")).toBe("R$ 0,50");
    expect(formatBRL("50000", "en")).toBe("R$ 50,000.00");
    expect(formatBRL(null)).toBe("");
  });

  it("phones and ids", () => {
    expect(formatPhone("7126598082")).toBe("(71) 2659-8082");
    expect(formatPhone("11987654321")).toBe("(11) 98765-4321");
    expect(formatPhone("+1 555")).toBe("+1 555");
    expect(shortId("chk_8ddb1f2a9c")).toBe("8ddb1f2a");
  });

  it("CNAE and CEP", () => {
    expect(formatCnae("6201501")).toBe("6201-5/01");
    expect(formatCep("01310100")).toBe("01310-100");
  });

  it("partner documents never show more than the register publishes", () => {
    expect(maskDocument("***123456**")).toBe("***.123.456-**");
    expect(maskDocument("12345678901")).toBe("***.456.789-**"); // a full CPF by mistake: masked here
    expect(maskDocument("11222333000181")).toBe("11.222.333/0001-81"); // a company partner: public
    expect(maskDocument("ABC-123")).toBe("ABC***");
    expect(maskDocument(null)).toBe("");
  });
});
