import { describe, expect, it } from "vitest";
import { applyCnpjMask, checkDigits, formatCnpj, stripCnpj, validateCnpj } from "./cnpj";

// Expected values computed with the API's own implementation (radar.cnpj.check_digits).
describe("check digits (ASCII-48 mod 11)", () => {
  it("matches the API for numeric and alphanumeric bodies", () => {
    expect(checkDigits("112223330001")).toBe("81");
    expect(checkDigits("191312430001")).toBe("97");
    expect(checkDigits("12ABC34501DE")).toBe("35");
    expect(checkDigits("A1B2C3D4E5F6")).toBe("68");
    expect(checkDigits("000000000001")).toBe("91");
  });

  it("refuses a body that is not 12 characters of [0-9A-Z]", () => {
    expect(() => checkDigits("12abc34501de")).toThrow();
    expect(() => checkDigits("1122233300")).toThrow();
  });
});

describe("validateCnpj", () => {
  it("accepts masked or bare, numeric or alphanumeric, in any case", () => {
    for (const input of ["11.222.333/0001-81", "11222333000181", " 12.abc.345/01de-35 ", "12ABC34501DE35"]) {
      const result = validateCnpj(input);
      expect(result.ok, input).toBe(true);
    }
    expect(validateCnpj("12.abc.345/01de-35")).toEqual({ ok: true, value: "12ABC34501DE35", formatted: "12.ABC.345/01DE-35" });
  });

  it("names what is wrong, with the API's reasons", () => {
    expect(validateCnpj("")).toEqual({ ok: false, reason: "empty" });
    expect(validateCnpj("11.222.333/0001")).toEqual({ ok: false, reason: "wrong_length" });
    expect(validateCnpj("11.222.333/0001-82")).toEqual({ ok: false, reason: "wrong_check_digits" });
    expect(validateCnpj("12ABC34501DE3X")).toEqual({ ok: false, reason: "non_numeric_check_digits" });
    expect(validateCnpj("11111111111111")).toEqual({ ok: false, reason: "repeated_character" });
    expect(validateCnpj("11.222.333/0001–81")).toEqual({ ok: false, reason: "invalid_characters" }); // en dash
    expect(validateCnpj("1122233300018Ç")).toEqual({ ok: false, reason: "invalid_characters" });
  });

  it("strips exactly the mask the API strips", () => {
    expect(stripCnpj(" 11.222.333/0001-81\t")).toBe("11222333000181");
  });
});

describe("live formatting", () => {
  it("formats prefixes as far as they go", () => {
    expect(formatCnpj("1")).toBe("1");
    expect(formatCnpj("112")).toBe("11.2");
    expect(formatCnpj("11222333")).toBe("11.222.333");
    expect(formatCnpj("112223330001")).toBe("11.222.333/0001");
    expect(formatCnpj("11222333000181")).toBe("11.222.333/0001-81");
  });

  it("formats as the user types, uppercasing letters", () => {
    let display = "";
    for (const ch of "12abc34501de35") display = applyCnpjMask(display + ch).display;
    expect(display).toBe("12.ABC.345/01DE-35");
  });

  it("takes a pasted masked or bare value and stops at 14 characters", () => {
    expect(applyCnpjMask("11.222.333/0001-81").value).toBe("11222333000181");
    expect(applyCnpjMask("112223330001819999").value).toBe("11222333000181");
  });

  it("keeps the caret after the same character when a mask character is inserted before it", () => {
    // "11.22" + typing "2" at the end -> "11.222"; caret at the end.
    expect(applyCnpjMask("11.222", 6)).toMatchObject({ display: "11.222", caret: 6 });
    // Typing "9" between "11" and ".": input "119.222", caret 3 -> value 119222 -> "11.922.2", caret after "9".
    const edit = applyCnpjMask("119.222", 3);
    expect(edit.display).toBe("11.922.2");
    expect(edit.display.slice(0, edit.caret)).toBe("11.9");
  });

  it("deleting a mask character keeps the digits and the caret in place", () => {
    // Backspace over the "." in "11.222": the browser leaves "11222" with the caret at 2.
    const edit = applyCnpjMask("11222", 2);
    expect(edit.display).toBe("11.222");
    expect(edit.display.slice(0, edit.caret)).toBe("11");
  });

  it("reports characters a CNPJ cannot have, and leaves them out", () => {
    expect(applyCnpjMask("11#222")).toMatchObject({ value: "11222", rejected: true });
    expect(applyCnpjMask("11.222")).toMatchObject({ rejected: false });
  });
});
