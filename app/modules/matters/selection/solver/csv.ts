/**
 * Pools and quotas from spreadsheets. Pool: a header row with `id`, optionally `household`, and one
 * column per attribute. Quotas: `category,value,min,max`. Header names are matched after trimming,
 * case-insensitively; cells are trimmed. Every problem throws a SelectionInputError naming the row
 * and column as a spreadsheet shows them (row 1 = the header, column 1 = A).
 */
import { parse } from "csv-parse/sync";
import { SelectionInputError, type Person, type Quota } from "./types";

/** Spreadsheet column letters: 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let s = "";
  for (let c = column; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

const at = (row: number, column?: number, name?: string) =>
  column ? `row ${row}, column ${columnLetter(column)}${name ? ` (${name})` : ""}` : `row ${row}`;

interface Rows {
  header: string[];
  /** Data rows with their spreadsheet row numbers. */
  rows: { row: number; cells: string[] }[];
}

function readCsv(text: string): Rows {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: false }) as never;
  } catch (e) {
    const err = e as Error & { lines?: number; code?: string };
    const row = typeof err.lines === "number" ? err.lines : null;
    const what = err.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH" ? "has a different number of cells than the header" : "cannot be read as CSV";
    throw new SelectionInputError("malformed_csv", `${row ? at(row) : "The file"} ${what}`, { row, details: { csv: err.code ?? null } });
  }
  if (records.length === 0) throw new SelectionInputError("empty_file", "The file is empty", { row: 1 });
  const [head, ...body] = records;
  return {
    header: head.record.map((h) => h.trim()),
    rows: body.map((r) => ({ row: r.info.lines, cells: r.record.map((c) => c.trim()) })),
  };
}

function columns(header: string[], headerRow: number, required: string[], optional: string[] = []) {
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const key = h.toLowerCase();
    if (!h) throw new SelectionInputError("empty_value", `${at(headerRow, i + 1)}: the column has no name`, { row: headerRow, column: i + 1 });
    if (index.has(key)) throw new SelectionInputError("duplicate_column", `${at(headerRow, i + 1, h)}: the column appears twice`, { row: headerRow, column: i + 1, columnName: h });
    index.set(key, i);
  });
  for (const name of required) {
    if (!index.has(name)) throw new SelectionInputError("missing_column", `Row 1: the column "${name}" is missing`, { row: headerRow, column: null, columnName: name });
  }
  void optional;
  return index;
}

export function parsePoolCsv(text: string): { people: Person[]; attributes: string[] } {
  const { header, rows } = readCsv(text);
  const index = columns(header, 1, ["id"], ["household"]);
  const idCol = index.get("id")!;
  const hhCol = index.get("household");
  const attrCols = header.map((h, i) => ({ name: h, i })).filter(({ i }) => i !== idCol && i !== hhCol);
  const seen = new Map<string, number>();
  const people: Person[] = rows.map(({ row, cells }) => {
    const id = cells[idCol];
    if (!id) throw new SelectionInputError("empty_id", `${at(row, idCol + 1, "id")}: the id is empty`, { row, column: idCol + 1, columnName: "id" });
    const first = seen.get(id);
    if (first !== undefined)
      throw new SelectionInputError("duplicate_id", `${at(row, idCol + 1, "id")}: the id ${id} is already on row ${first}`, { row, column: idCol + 1, columnName: "id", details: { id, firstRow: first } });
    seen.set(id, row);
    const attributes: Record<string, string> = {};
    for (const { name, i } of attrCols) {
      if (!cells[i]) throw new SelectionInputError("empty_value", `${at(row, i + 1, name)}: the value is empty`, { row, column: i + 1, columnName: name });
      attributes[name] = cells[i];
    }
    return { id, household: hhCol === undefined || !cells[hhCol] ? null : cells[hhCol], attributes };
  });
  return { people, attributes: attrCols.map((c) => c.name) };
}

export function parseQuotasCsv(text: string): Quota[] {
  const { header, rows } = readCsv(text);
  const index = columns(header, 1, ["category", "value", "min", "max"]);
  const col = (name: string) => index.get(name)!;
  const seen = new Map<string, number>();
  return rows.map(({ row, cells }) => {
    const text = (name: string) => {
      const v = cells[col(name)];
      if (!v) throw new SelectionInputError("empty_value", `${at(row, col(name) + 1, name)}: the value is empty`, { row, column: col(name) + 1, columnName: name });
      return v;
    };
    const count = (name: string) => {
      const raw = text(name);
      const where = { row, column: col(name) + 1, columnName: name, details: { value: raw } };
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw)) throw new SelectionInputError("not_a_number", `${at(row, col(name) + 1, name)}: "${raw}" is not a number`, where);
      const n = Number(raw);
      if (n < 0) throw new SelectionInputError("negative", `${at(row, col(name) + 1, name)}: ${raw} is negative`, where);
      if (!Number.isInteger(n)) throw new SelectionInputError("not_an_integer", `${at(row, col(name) + 1, name)}: ${raw} is not a whole number`, where);
      return n;
    };
    const q: Quota = { category: text("category"), value: text("value"), min: count("min"), max: count("max") };
    if (q.min > q.max)
      throw new SelectionInputError("min_above_max", `${at(row, col("min") + 1, "min")}: min ${q.min} is above max ${q.max}`, { row, column: col("min") + 1, columnName: "min" });
    const key = `${q.category}\u0000${q.value}`;
    const first = seen.get(key);
    if (first !== undefined)
      throw new SelectionInputError("duplicate_quota", `${at(row)}: ${q.category}=${q.value} is already on row ${first}`, { row, details: { firstRow: first } });
    seen.set(key, row);
    return q;
  });
}
