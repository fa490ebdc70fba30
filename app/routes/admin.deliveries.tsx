import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { isMessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { titleMeta } from "~/i18n/meta";
import { listDeadDeliveries, retryDeadDelivery, RetryDeliverySchema } from "~/modules/notifications/outbox.server";
import { requirePermission } from "~/web/guards.server";
import { commandContext, formAction, loaderGuard } from "~/web/http.server";

export const meta = titleMeta("deliveries.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "notification.manageDeliveries", { type: "site" });
  return json({ dead: await loaderGuard(() => listDeadDeliveries(commandContext(context))) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requirePermission(context, request, "notification.manageDeliveries", { type: "site" });
  return formAction(request, RetryDeliverySchema, async (input) => {
    await retryDeadDelivery(commandContext(context), input);
    return { retried: true };
  });
}

export default function AdminDeliveries() {
  const t = useT();
  const { dead } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as { retried?: boolean; result?: { error?: Record<string, string[]> } } | undefined;
  const refused = data?.result?.error ? Object.values(data.result.error).flat()[0] : undefined;
  return (
    <>
      <p>
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <h1>{t("deliveries.title")}</h1>
      <p>{t("deliveries.intro")}</p>
      {data?.retried ? <Notice>{t("deliveries.retried")}</Notice> : null}
      {refused ? (
        <div className="error-summary" role="alert">
          <h2>{t("form.errorSummary")}</h2>
          <ul>
            <li>{t.msg(refused)}</li>
          </ul>
        </div>
      ) : null}
      {dead.length === 0 ? (
        <p>{t("deliveries.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("deliveries.failedAt")}</th>
                <th scope="col">{t("deliveries.recipient")}</th>
                <th scope="col">{t("deliveries.channel")}</th>
                <th scope="col">{t("deliveries.kind")}</th>
                <th scope="col">{t("deliveries.attempts")}</th>
                <th scope="col">{t("deliveries.error")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("deliveries.retry")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {dead.map((d) => (
                <tr key={d.id}>
                  <td>{d.deadAt ? t.time(d.deadAt) : ""}</td>
                  <td>{d.displayName}</td>
                  <td>{t(d.channel === "email" ? "channel.email" : "channel.sms")}</td>
                  <td>{isMessageKey(d.kind) ? d.kind.replace(/^notify\./, "") : d.kind}</td>
                  <td>{d.attempts}</td>
                  <td>{d.lastError}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="deliveryId" value={d.id} />
                      <button type="submit">{t("deliveries.retry")}</button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
