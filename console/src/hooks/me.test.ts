import { describe, expect, it } from "vitest";
import { whoLabel } from "./me";

describe("who the top bar names", () => {
  it("prefers GET /me's e-mail, then the typed one, then the start of the user id", () => {
    expect(whoLabel({ email: "ana@example.com" }, "typed@example.com", "usr_0123456789")).toBe("ana@example.com");
    expect(whoLabel(null, "typed@example.com", "usr_0123456789")).toBe("typed@example.com");
    expect(whoLabel(null, null, "usr_0123456789")).toBe("usr_0123");
  });
});
