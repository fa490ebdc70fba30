import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CameraScanner } from "~/components/camera-scanner";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { getGroupEntryPage } from "~/modules/volunteers/group-entry.server";
import { scanEcard } from "~/modules/volunteers/scan-ecard.server";
import { ScanEcardSchema } from "~/modules/volunteers/schemas";
import { commandContext, formAction, idFromParams, loaderGuard, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.scan.link");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.activityId);
  requireActor(context, request);
  const page = await loaderGuard(() => getGroupEntryPage(commandContext(context), id));
  return json({ activity: { id: page.activity.id, title: page.activity.title } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.activityId);
  requireActor(context, request);
  return formAction(request, ScanEcardSchema, async (v) => {
    const r = await scanEcard(commandContext(context), id, v);
    const q = new URLSearchParams({ done: r.repeated ? "repeated" : r.direction, number: r.number ?? "", direction: v.direction });
    return redirect(`/activities/${id}/scan?${q}`);
  }, "scan");
}

export default function ScanPage() {
  const t = useT();
  const { activity } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const errors = errorsOf(data, "scan");
  const [search] = useSearchParams();
  const done = search.get("done");
  const number = (search.get("number") ?? "").slice(0, 30);
  const direction = search.get("direction") === "out" ? "out" : "in";
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to={`/activities/${activity.id}`}>{activity.title}</Link>
      </p>
      <h1>{t("volunteers.scan.title", { title: activity.title })}</h1>
      {done === "in" ? <Notice>{t("volunteers.scan.doneInNumber", { number })}</Notice> : null}
      {done === "out" ? <Notice>{t("volunteers.scan.doneOutNumber", { number })}</Notice> : null}
      {done === "repeated" ? <Notice>{t("volunteers.scan.repeatedNumber", { number })}</Notice> : null}
      <p>{t("volunteers.scan.intro")}</p>
      <IntentForm intent="scan">
        <fieldset>
          <legend>{t("volunteers.scan.direction")}</legend>
          <label>
            <input type="radio" name="direction" value="in" defaultChecked={direction === "in"} /> {t("volunteers.scan.in")}
          </label>{" "}
          <label>
            <input type="radio" name="direction" value="out" defaultChecked={direction === "out"} /> {t("volunteers.scan.out")}
          </label>
        </fieldset>
        <IntentField intent="scan" name="code" label="volunteers.scan.code" errors={errors} />
        <button type="submit">{t("volunteers.scan.submit")}</button>
      </IntentForm>
      <CameraScanner inputId="scan-code" />
    </>
  );
}
