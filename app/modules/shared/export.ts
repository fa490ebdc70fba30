/**
 * Text that leaves the app as a file (Markdown minutes, CSV exports). Whatever a person typed is
 * data, never structure: a line break cannot start a heading or a list item, and brackets, stars
 * and angle brackets cannot become links, images, emphasis or HTML in a Markdown viewer; a CSV cell
 * cannot become a formula in a spreadsheet.
 */

/** Every line break a Markdown viewer, a spreadsheet or an editor may honour (CR alone included). */
const LINE_BREAKS = /\r\n|[\r\n\u000B\u000C\u0085\u2028\u2029]/g;

/** Line breaks of any kind become "\n". */
export function normaliseLineBreaks(s: string) {
  return s.replace(LINE_BREAKS, "\n");
}

/**
 * ASCII punctuation that starts Markdown structure anywhere in a line (CommonMark escapes any of it
 * with a backslash). "@" too: a translation parameter that starts with "@" would be read as a key.
 */
const INLINE = /[\\`*_[\]<>#|~&!@]/g;

/** One line of user text inside a Markdown line of ours: line breaks become spaces, markup is escaped. */
export function mdInline(v: string | number | null | undefined) {
  if (v === null || v === undefined) return "";
  return String(v)
    .replace(LINE_BREAKS, " ")
    .replace(INLINE, (c) => `\\${c}`);
}

/** Markers that make a block when they start a line: list items, setext underlines, ordered items. */
const LINE_START = /^([-+=]|\d{1,9}[.)])/;

/**
 * User text of several paragraphs (a summary): line breaks normalised, every line escaped inline,
 * its leading spaces dropped (four would make a code block) and a block marker at its start escaped.
 */
export function mdBlock(v: string | null | undefined) {
  if (!v) return "";
  return normaliseLineBreaks(v)
    .split("\n")
    .map((line) => mdInline(line.trimStart()).replace(LINE_START, (m) => (/^\d/.test(m) ? `${m.slice(0, -1)}\\${m.slice(-1)}` : `\\${m}`)))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * One CSV cell. Line breaks are normalised to "\n" inside a quoted cell; a cell a spreadsheet would
 * read as a formula (= + - @, or a tab or line break before one) starts with a quote mark so it stays text.
 */
export function csvCell(v: string | number | boolean | null | undefined) {
  if (v === null || v === undefined) return "";
  // numbers and booleans are the app's own
  if (typeof v !== "string") return String(v);
  let s = normaliseLineBreaks(v);
  if (/^[=+\-@\t\n]/.test(s)) s = `'${s}`;
  return /[",\n]/.test(s) || s !== v ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows of cells as CSV: CRLF between rows, a BOM so spreadsheet programs read the Chinese right. */
export function csvFile(rows: (string | number | boolean | null | undefined)[][]) {
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
