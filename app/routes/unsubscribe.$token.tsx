import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { titleMeta } from "~/i18n/meta";
import { checkUnsubscribeToken, unsubscribe } from "~/modules/notifications/unsubscribe.server";
import { commandContext, loaderGuard, readForm } from "~/web/http.server";

export const meta = titleMeta("unsubscribe.title");

/** The link in a message opens a confirmation; mail clients' one-click POST (RFC 8058) goes straight to the action. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const { channel } = await loaderGuard(async () => checkUnsubscribeToken(commandContext(context), token));
  return json({ channel });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  await readForm(request);
  const { channel } = await loaderGuard(() => unsubscribe(commandContext(context), { token: params.token ?? "" }));
  return json({ done: true, channel });
}

export default function Unsubscribe() {
  const t = useT();
  const { channel } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>()?.done;
  return (
    <>
      <h1>{t("unsubscribe.title")}</h1>
      {done ? (
        <Notice>{t("unsubscribe.done")}</Notice>
      ) : (
        <Form method="post">
          <p>{t("unsubscribe.confirm", { channel: t(channel === "email" ? "channel.email" : "channel.sms") })}</p>
          <button type="submit">{t("unsubscribe.submit")}</button>
        </Form>
      )}
    </>
  );
}
