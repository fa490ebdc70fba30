import type { MessageKey } from "~/i18n";

/**
 * Form messages that carry a catalogue key and its parameters ("key|{json}"); the form layer
 * translates them. Kept apart from the zod helpers in validation.ts so that translating a message
 * in the browser does not bring zod into every page.
 */
export function msg(key: MessageKey, params?: Record<string, string | number>) {
  return params ? `${key}|${JSON.stringify(params)}` : key;
}

export function parseMsg(m: string): { key: string; params: Record<string, string | number> } {
  const bar = m.indexOf("|");
  if (bar < 0) return { key: m, params: {} };
  try {
    return { key: m.slice(0, bar), params: JSON.parse(m.slice(bar + 1)) };
  } catch {
    return { key: m.slice(0, bar), params: {} };
  }
}
