import type { ReactNode } from "react";

/** A status message at the top of a page (in its own file: pages without forms import it without conform and zod). */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="notice" role="status">
      {children}
    </div>
  );
}
