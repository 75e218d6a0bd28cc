// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { I18nProvider } from "../i18n";
import { CnpjInput } from "./CnpjInput";

function Harness({ serverError, onValue }: { serverError?: string; onValue?: (v: string) => void }) {
  const [value, setValue] = useState("");
  return (
    <I18nProvider locale="pt-BR">
      <CnpjInput
        id="cnpj"
        label="CNPJ"
        value={value}
        onChange={(v) => {
          setValue(v);
          onValue?.(v);
        }}
        serverError={serverError ?? null}
      />
    </I18nProvider>
  );
}

afterEach(cleanup);

describe("CnpjInput", () => {
  it("formats a numeric CNPJ as it is typed and accepts its check digits", async () => {
    const seen: string[] = [];
    render(<Harness onValue={(v) => seen.push(v)} />);
    const input = screen.getByLabelText("CNPJ") as HTMLInputElement;
    await userEvent.type(input, "11222333000181");
    expect(input.value).toBe("11.222.333/0001-81");
    expect(seen.at(-1)).toBe("11222333000181");
    expect(screen.getByTestId("cnpj-status").textContent).toBe("CNPJ válido.");
    expect(input.getAttribute("aria-invalid")).toBeNull();
  });

  it("takes an alphanumeric CNPJ in lowercase and shows it uppercase", async () => {
    render(<Harness />);
    const input = screen.getByLabelText("CNPJ") as HTMLInputElement;
    await userEvent.type(input, "12abc34501de35");
    expect(input.value).toBe("12.ABC.345/01DE-35");
    expect(screen.getByTestId("cnpj-status").textContent).toBe("CNPJ válido.");
  });

  it("says the check digits are wrong once 14 characters are in", async () => {
    render(<Harness />);
    const input = screen.getByLabelText("CNPJ") as HTMLInputElement;
    await userEvent.type(input, "11222333000182");
    expect(screen.getByTestId("cnpj-status").textContent).toMatch(/dígitos verificadores não conferem/);
    expect(input.getAttribute("aria-invalid")).toBe("true");
  });

  it("accepts a masked paste as is", async () => {
    render(<Harness />);
    const input = screen.getByLabelText("CNPJ") as HTMLInputElement;
    input.focus();
    await userEvent.paste("19.131.243/0001-97");
    expect(input.value).toBe("19.131.243/0001-97");
  });

  it("reports what is missing on blur", async () => {
    render(<Harness />);
    const input = screen.getByLabelText("CNPJ") as HTMLInputElement;
    await userEvent.type(input, "1122");
    expect(screen.getByTestId("cnpj-status").textContent).toBe("");
    await userEvent.tab();
    expect(screen.getByTestId("cnpj-status").textContent).toBe("O CNPJ tem 14 caracteres; faltam 10.");
  });

  it("shows the server's verdict next to the field", () => {
    render(<Harness serverError="Esta empresa já está na sua lista." />);
    expect(screen.getByTestId("cnpj-status").textContent).toBe("Esta empresa já está na sua lista.");
  });
});
