// Drift: the committed typed client must be what docs/openapi.json generates (`make console-types` fixes it).
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { generate, OUTPUTS } from "./gen-api.mjs";

describe("typed API client", () => {
  it("is up to date with docs/openapi.json", async () => {
    const generated = await generate();
    for (const [name, file] of Object.entries(OUTPUTS)) {
      const committed = await readFile(file, "utf8");
      expect(committed === generated[name], `${file} drifted from docs/openapi.json: run make console-types`).toBe(true);
    }
  });
});
