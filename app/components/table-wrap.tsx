import type { ReactNode } from "react";

/**
 * A wide table on a narrow phone scrolls inside this box, not the page. The box is a named region
 * in the tab order, so a keyboard user can reach it and scroll it (axe: scrollable-region-focusable).
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
