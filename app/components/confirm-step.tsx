import { Link, useActionData, useLocation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { useT } from "~/i18n/use-t";

/**
 * An irreversible action (close a room or a vote, draw, reject, annul …) in two steps that work
 * without JavaScript. The first step is a link to `?confirm=<what>` (a GET: nothing changes); the
 * page then shows the second step in its place: what will happen, the real form (`children`,
 * whose submit button says "确认…" and which carries `<Confirmed />`) and a way back. Both sit in a
 * box apart from routine buttons. The server refuses the command without `confirm=yes` and answers
 * with `{ confirm: what }`, which opens this step too (a post that skipped it, or a stale page).
 */
export function ConfirmStep({ what, label, consequence, children }: { what: string; label: string; consequence: string; children: ReactNode }) {
  const t = useT();
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  const refused = useActionData() as { confirm?: string } | undefined;
  const id = `confirm-${what}`;
  if (params.get("confirm") !== what && refused?.confirm !== what) {
    return (
      <div className="danger-zone">
        <Link className="button warning" to={`?confirm=${encodeURIComponent(what)}#${id}`} preventScrollReset>
          {label}
        </Link>
      </div>
    );
  }
  return (
    <section className="danger-zone confirm-step" id={id} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("confirm.title", { action: label })}</h3>
      <p>{consequence}</p>
      {children}
      <p>
        <Link to={pathname} preventScrollReset>
          {t("confirm.cancel")}
        </Link>
      </p>
    </section>
  );
}

/** The hidden field the server requires of an irreversible command: put it inside ConfirmStep's form. */
export const Confirmed = () => <input type="hidden" name="confirm" value="yes" />;
