import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { listLedger, verifyLedger } from "~/modules/ledger/ledger.server";
import { requirePermission } from "~/web/guards.server";
import { readForm } from "~/web/http.server";
import { titleMeta } from "~/i18n/meta";

export const meta = titleMeta("admin.ledger");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "ledger.verify", { type: "site" });
  return json({ entries: await listLedger(context.db, { limit: 50 }) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requirePermission(context, request, "ledger.verify", { type: "site" });
  await readForm(request);
  return json({ result: await verifyLedger(context.db) });
}

export default function AdminLedger() {
  const t = useT();
  const { entries } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const r = data?.result;
  return (
    <>
      <p>
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <h1>{t("admin.ledger")}</h1>
      {r ? (
        <Notice>
          {r.ok
            ? t("admin.ledgerOk", { checked: r.checked, streams: r.streams })
            : t("admin.ledgerBad", { id: r.firstBad!.id, stream: r.firstBad!.stream, seq: r.firstBad!.seq, problem: r.firstBad!.problem })}
        </Notice>
      ) : null}
      <Form method="post">
        <button type="submit">{t("admin.ledgerVerify")}</button>
      </Form>
      <h2>{t("admin.ledgerRecent")}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("admin.ledgerTime")}</th>
              <th scope="col">{t("admin.ledgerAction")}</th>
              <th scope="col">{t("admin.ledgerEntity")}</th>
              <th scope="col">{t("admin.ledgerActor")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{t.time(e.createdAt)}</td>
                <td>{e.action}</td>
                <td>
                  {e.stream} #{e.seq} · {e.entityType} {e.entityId}
                </td>
                <td>{e.actorId ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
