// Lists of CNPJs for batches, pasted or uploaded as CSV, checked line by line before anything is sent; and
// CSV output for downloads (with spreadsheet formula injection neutralised).
import { validateCnpj, type CnpjProblem } from "./cnpj";

export interface InvalidLine {
  line: number;
  input: string;
  reason: CnpjProblem;
}

export interface ParsedList {
  /** Valid CNPJs, bare and uppercase, first occurrence order, without repeats. */
  valid: string[];
  invalid: InvalidLine[];
  duplicates: number;
}

/** Split one CSV line into cells (quotes with "" escapes; comma or semicolon separated). */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = "";
    } else {
      cell += ch;
    }
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

function collect(entries: { line: number; input: string }[]): ParsedList {
  const seen = new Set<string>();
  const valid: string[] = [];
  const invalid: InvalidLine[] = [];
  let duplicates = 0;
  for (const { line, input } of entries) {
    const result = validateCnpj(input);
    if (!result.ok) {
      invalid.push({ line, input: input.slice(0, 40), reason: result.reason });
    } else if (seen.has(result.value)) {
      duplicates++;
    } else {
      seen.add(result.value);
      valid.push(result.value);
    }
  }
  return { valid, invalid, duplicates };
}

const lines = (text: string) => text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);

/** Pasted text: one CNPJ per line, or several separated by commas, semicolons or tabs. */
export function parsePasted(text: string): ParsedList {
  const entries: { line: number; input: string }[] = [];
  lines(text).forEach((content, index) => {
    for (const token of content.split(/[,;\t]/)) {
      const input = token.trim();
      if (input) entries.push({ line: index + 1, input });
    }
  });
  return collect(entries);
}

/**
 * A CSV file: one CNPJ per line, optional header. With several columns, the column named "cnpj" (any case),
 * else the first. A first line that names columns (no digits in it) is a header and is skipped.
 */
export function parseCsv(text: string): ParsedList {
  const all = lines(text);
  const first = all.find((l) => l.trim()) ?? "";
  const delimiter = first.includes(";") && !first.includes(",") ? ";" : ",";
  const header = splitCsvLine(first, delimiter);
  const isHeader = !/\d/.test(first);
  const named = header.findIndex((cell) => cell.toLowerCase() === "cnpj");
  const column = isHeader && named >= 0 ? named : 0;
  const entries: { line: number; input: string }[] = [];
  let headerSkipped = false;
  all.forEach((content, index) => {
    if (!content.trim()) return;
    if (isHeader && !headerSkipped) {
      headerSkipped = true;
      return;
    }
    const input = splitCsvLine(content, delimiter)[column] ?? "";
    entries.push({ line: index + 1, input: input.trim() });
  });
  return collect(entries);
}

function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  // A cell starting with = + - @ is a formula to a spreadsheet: prefix it so it stays text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** Hand a CSV (text, or the API's own file) to the browser as a download named `name`. */
export function saveCsv(text: string | Blob, name: string) {
  const blob = typeof text === "string" ? new Blob([text], { type: "text/csv;charset=utf-8" }) : text;
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
