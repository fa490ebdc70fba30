import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { translate } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { listNotifications, markAllRead } from "~/modules/notifications/notifications.server";
import { commandContext, readForm, requireActor } from "~/web/http.server";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches[0]?.data as { locale?: "en" } | undefined)?.locale ?? "zh-CN";
  return [{ title: `${translate(locale, "notifications.title")} — ${translate(locale, "app.name")}` }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  return json({ items: await listNotifications(commandContext(context)) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireActor(context, request);
  await readForm(request);
  await markAllRead(commandContext(context));
  return redirect("/notifications");
}

export default function Notifications() {
  const t = useT();
  const { items } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("notifications.title")}</h1>
      {items.some((n) => !n.readAt) ? (
        <Form method="post">
          <button type="submit" className="secondary">
            {t("notifications.markAllRead")}
          </button>
        </Form>
      ) : null}
      {items.length === 0 ? <p>{t("notifications.none")}</p> : null}
      <ul className="card-list" id="notification-list">
        {items.map((n) => {
          const text = t.msg(`${n.kind}|${JSON.stringify(n.params)}`);
          return (
            <li key={n.id} className={n.readAt ? "" : "unread"}>
              {n.readAt ? null : <span className="tag">{t("notifications.unread")}</span>} {n.link ? <Link to={n.link}>{text}</Link> : text}
              <br />
              <span className="muted">{t.time(n.createdAt)}</span>
            </li>
          );
        })}
      </ul>
    </>
  );
}
