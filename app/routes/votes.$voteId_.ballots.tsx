import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n";
import { FindReceiptSchema } from "~/modules/matters/voting/schemas";
import { getPublishedBallots } from "~/modules/matters/voting/results.server";
import { commandContext, idFromParams, loaderGuard, readForm } from "~/web/http.server";
import { titleMeta } from "~/i18n/meta";

export const meta = titleMeta("voting.ballots");

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.voteId);
  return json(await loaderGuard(() => getPublishedBallots(commandContext(context), id)));
}

/** Finding a receipt is a POST so the code never sits in a URL, a history or a log line. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.voteId);
  const form = FindReceiptSchema.safeParse(Object.fromEntries(await readForm(request)));
  const receipt = form.success ? (form.data.receipt ?? "") : "";
  const r = await loaderGuard(() => getPublishedBallots(commandContext(context), id, receipt || undefined));
  return json({ found: r.found, wanted: r.wanted });
}

export default function Ballots() {
  const t = useT();
  const { vote, matterTitle, ballots } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const label = (id: string) => {
    const o = vote.options.find((x) => x.id === id);
    return !o ? id : o.label.startsWith("@") ? t(o.label.slice(1) as MessageKey) : o.label;
  };
  // a secret ballot carries no channel (a lone paper ballot would name its voter)
  const showChannel = ballots.some((b) => b.channel);
  return (
    <>
      <p>
        <Link to={`/votes/${vote.id}`}>
          {matterTitle}：{vote.question}
        </Link>
      </p>
      <h1>{t("voting.ballots")}</h1>
      <p>{t("voting.ballotsIntro", { count: ballots.length })}</p>
      <p className="muted digest">{t("voting.digest", { digest: vote.digest ?? "" })}</p>
      <Form method="post" className="filters">
        <div className="field">
          <label htmlFor="find-receipt">{t("voting.findReceipt")}</label>
          <input id="find-receipt" name="receipt" autoComplete="off" />
        </div>
        <div className="field">
          <button type="submit" className="secondary">
            {t("voting.findSubmit")}
          </button>
        </div>
      </Form>
      {data?.found === true ? <Notice>{t("voting.found")}</Notice> : null}
      {data?.found === false ? <Notice>{t("voting.notFound")}</Notice> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{vote.secret ? "SHA-256" : t("voting.paperVoter")}</th>
              <th scope="col">{t("voting.title")}</th>
              {showChannel ? (
                <th scope="col">
                  {t("voting.channel.online")}/{t("voting.channel.paper")}
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {ballots.map((b, i) => (
              <tr key={b.receiptHash} className={data?.wanted === b.receiptHash ? "found" : undefined}>
                <td>{i + 1}</td>
                <td className="hash">{vote.secret ? b.receiptHash : b.name}</td>
                <td>{b.choices.map(label).join("、")}</td>
                {showChannel ? <td>{b.channel ? t(`voting.channel.${b.channel}`) : ""}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
