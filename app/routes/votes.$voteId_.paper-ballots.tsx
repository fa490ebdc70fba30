import type { ActionFunctionArgs } from "@remix-run/node";
import { translate } from "~/i18n";
import { paperBallotsPdf, printPaperBallots } from "~/modules/matters/voting/paper-ballots.server";
import { DomainError } from "~/modules/shared/errors";
import { statusOf } from "~/web/errors.server";
import { commandContext, idFromParams, readForm, requireActor } from "~/web/http.server";

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/**
 * Staff print numbered paper ballots (a plain form post from the vote page): the numbers are kept
 * for the paper-ballot entry, and the sheets come back as an A4 PDF, one ballot a page. A resource
 * route (its answer is the file itself); a refusal is a small translated page with a way back.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.voteId);
  requireActor(context, request);
  const form = await readForm(request);
  const raw = form.get("count");
  const count = typeof raw === "string" && /^\s*\d{1,4}\s*$/.test(raw) ? Number(raw) : Number.NaN;
  try {
    const printed = await printPaperBallots(commandContext(context), id, { count });
    const pdf = await paperBallotsPdf(printed, context.locale);
    return new Response(new Uint8Array(pdf), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="vote-${id}-ballots-${printed.numbers[0]}.pdf"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const message = escape(translate(context.locale, e.messageKey, e.params));
    const back = escape(translate(context.locale, "paperBallots.back"));
    return new Response(
      `<!doctype html><html lang="${context.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${message}</title></head><body><main><h1>${message}</h1><p><a href="/votes/${id}">${back}</a></p></main></body></html>`,
      { status: statusOf(e), headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } },
    );
  }
}
