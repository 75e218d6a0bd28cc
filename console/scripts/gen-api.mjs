// The typed API client's source: docs/openapi.json -> src/api/schema.gen.ts (openapi-typescript) and
// src/api/operations.gen.ts (which operations and parameters the contract has, for feature gating).
// `node scripts/gen-api.mjs` writes both; `--check` exits 1 when the committed files differ (drift).
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
export const CONSOLE_DIR = path.resolve(here, "..");
export const SPEC = path.resolve(CONSOLE_DIR, "..", "docs", "openapi.json");
export const OUTPUTS = {
  schema: path.join(CONSOLE_DIR, "src", "api", "schema.gen.ts"),
  operations: path.join(CONSOLE_DIR, "src", "api", "operations.gen.ts"),
};
const HEADER = "// Generated from docs/openapi.json by `make console-types` (console/scripts/gen-api.mjs): do not edit.\n";
const METHODS = ["get", "put", "post", "delete", "patch"];

export async function generate(specPath = SPEC) {
  const spec = JSON.parse(await readFile(specPath, "utf8"));
  const ast = await openapiTS(spec, { alphabetize: true });
  const schema = HEADER + "/* eslint-disable */\n" + astToString(ast);
  const operations = {};
  for (const [route, item] of Object.entries(spec.paths ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])]
        .map((p) => `${p.in}:${String(p.name).toLowerCase()}`)
        .sort();
      operations[`${method.toUpperCase()} ${route}`] = params;
    }
  }
  const lines = Object.entries(operations).map(([key, params]) => `  ${JSON.stringify(key)}: ${JSON.stringify(params)},`);
  const ops =
    HEADER +
    "// Each operation of the contract and its parameters (`in:name`): the console shows a page or a control\n" +
    "// only when the API it needs is in the contract it was built against.\n" +
    `export const OPERATIONS: Readonly<Record<string, readonly string[]>> = {\n${lines.join("\n")}\n};\n` +
    "// The most CNPJs one POST /checks/batch takes (BatchCreate.cnpjs.maxItems).\n" +
    `export const BATCH_MAX_ITEMS = ${spec.components?.schemas?.BatchCreate?.properties?.cnpjs?.maxItems ?? "Infinity"};\n`;
  return { schema, operations: ops };
}

async function main() {
  const check = process.argv.includes("--check");
  const generated = await generate();
  let drift = false;
  for (const [name, file] of Object.entries(OUTPUTS)) {
    if (check) {
      const current = await readFile(file, "utf8").catch(() => "");
      if (current !== generated[name]) {
        drift = true;
        console.error(`${path.relative(CONSOLE_DIR, file)} is out of date with docs/openapi.json: run make console-types`);
      }
    } else {
      await writeFile(file, generated[name]);
      console.log(`wrote ${path.relative(CONSOLE_DIR, file)}`);
    }
  }
  process.exit(drift ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await main();
}
