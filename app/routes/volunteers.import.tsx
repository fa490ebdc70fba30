import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { errorsOf, IntentErrorSummary, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { importSignedRecord } from "~/modules/volunteers/import-record.server";
import { ImportRecordSchema } from "~/modules/volunteers/travel-schemas.server";
import { commandContext, formAction, requireActor } from "~/web/http.server";

export const meta = titleMeta("volunteers.import.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireActor(context, request);
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireActor(context, request);
  return formAction(request, ImportRecordSchema, async (v) => {
    const r = await importSignedRecord(commandContext(context), { volunteer: v.volunteer, publicKey: v.publicKey, bytes: new Uint8Array(await v.file.arrayBuffer()) });
    return redirect(`/volunteers/import?done=${r.records}&hours=${r.confirmedMinutes / 60}`);
  }, "import");
}

export default function ImportRecord() {
  const t = useT();
  const data = useActionData<typeof action>() as Reply;
  const errors = errorsOf(data, "import");
  const [search] = useSearchParams();
  const done = search.get("done");
  const fileErr = errors.file?.[0];
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to="/volunteers">{t("volunteers.title")}</Link>
      </p>
      <h1>{t("volunteers.import.title")}</h1>
      {done ? <Notice>{t("volunteers.import.done", { records: Number(done) || 0, hours: Number(search.get("hours")) || 0 })}</Notice> : null}
      <p>{t("volunteers.import.intro")}</p>
      <IntentForm intent="import" encType="multipart/form-data">
        <IntentField intent="import" name="volunteer" label="volunteers.import.volunteer" hint="volunteers.import.volunteerHint" errors={errors} />
        <div className={`field${fileErr ? " field--error" : ""}`}>
          <label htmlFor="import-file">{t("volunteers.import.file")}</label>
          <p className="hint" id="import-file-hint">
            {t("volunteers.import.fileHint")}
          </p>
          {fileErr ? (
            <p className="field-error" id="import-file-error">
              {t.msg(fileErr)}
            </p>
          ) : null}
          <input type="file" id="import-file" name="file" accept="application/json,.json" required aria-invalid={fileErr ? true : undefined} aria-describedby={`import-file-hint${fileErr ? " import-file-error" : ""}`} />
        </div>
        <IntentField intent="import" name="publicKey" label="volunteers.import.publicKey" hint="volunteers.import.publicKeyHint" errors={errors} textarea />
        <button type="submit">{t("volunteers.import.submit")}</button>
      </IntentForm>
    </>
  );
}
