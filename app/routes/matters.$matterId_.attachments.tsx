import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AttachmentList } from "~/components/attachments/attachment-list";
import { Notice } from "~/components/notice";
import { IntentErrorSummary, errorsOf, type Reply } from "~/components/simple-form";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { listAttachments } from "~/modules/attachments/queries.server";
import { parseAttachTarget } from "~/modules/attachments/schemas";
import { uploadAttachment } from "~/modules/attachments/upload.server";
import { DomainError } from "~/modules/shared/errors";
import { statusOf } from "~/web/errors.server";
import { commandContext, idFromParams, loaderGuard, requireActor } from "~/web/http.server";
import { readUpload } from "~/web/upload.server";

export const meta = titleMeta("attachments.pageTitle", (d) => ({ title: (d as { matter?: { title: string } } | undefined)?.matter?.title ?? "" }));

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idFromParams(params.matterId);
  return json(await loaderGuard(() => listAttachments(commandContext(context), id)));
}

const INTENT = "upload";

/** The reply the page shows beside a field (or at the top), the same shape as a conform reply. */
function refused(status: number, field: string, key: string) {
  return json({ intent: INTENT, result: { error: { [field]: [key] } } }, { status });
}

/** A multipart form (no JavaScript needed): where to attach, and one file of at most 10 MB. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = idFromParams(params.matterId);
  requireActor(context, request);
  const upload = await readUpload(request);
  if (!upload.ok) return refused(upload.status, upload.status === 413 ? "file" : "", upload.key);
  const target = parseAttachTarget(upload.fields.target);
  if (!target) return refused(400, "target", "attachments.errors.target");
  if (!upload.file || upload.file.bytes.length === 0) return refused(400, "file", "attachments.errors.empty");
  try {
    const r = await uploadAttachment(commandContext(context), { matterId: id, ...target, filename: upload.file.name, bytes: upload.file.bytes });
    return redirect(`/matters/${id}/attachments?${new URLSearchParams({ uploaded: r.filename })}#attachment-${r.id}`);
  } catch (e) {
    if (e instanceof DomainError) return refused(e.messageKey === "attachments.errors.tooLarge" ? 413 : statusOf(e), e.field ?? "", e.messageKey);
    throw e;
  }
}

export default function Attachments() {
  const t = useT();
  const p = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Reply;
  const [search] = useSearchParams();
  const uploaded = search.get("uploaded");
  const errors = errorsOf(data, INTENT);
  const described = (name: string, hint?: boolean) => [hint ? `${INTENT}-${name}-hint` : "", errors[name] ? `${INTENT}-${name}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <>
      <IntentErrorSummary data={data} />
      <p>
        <Link to={`/matters/${p.matter.id}`}>{t("attachments.back")}</Link>
      </p>
      <h1>{t("attachments.pageTitle", { title: p.matter.title })}</h1>
      {uploaded ? <Notice>{t("attachments.uploaded", { name: uploaded })}</Notice> : null}
      <AttachmentList items={p.attachments} />
      {p.targets.length ? (
        <section aria-labelledby="attachment-upload-title">
          <h2 id="attachment-upload-title">{t("attachments.upload")}</h2>
          <Form method="post" encType="multipart/form-data" noValidate>
            <input type="hidden" name="intent" value={INTENT} />
            <div className={`field${errors.target ? " field--error" : ""}`}>
              <label htmlFor={`${INTENT}-target`}>{t("attachments.target")}</label>
              {errors.target ? (
                <p className="field-error" id={`${INTENT}-target-error`}>
                  {t.msg(errors.target[0])}
                </p>
              ) : null}
              <select id={`${INTENT}-target`} name="target" aria-invalid={errors.target ? true : undefined} aria-describedby={described("target")}>
                {p.targets.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.owner === "material" ? t("attachments.owner.material", { title: o.title ?? "" }) : t(o.owner === "proposal" ? "attachments.owner.proposal" : "attachments.owner.outcome")}
                  </option>
                ))}
              </select>
            </div>
            <div className={`field${errors.file ? " field--error" : ""}`}>
              <label htmlFor={`${INTENT}-file`}>{t("attachments.file")}</label>
              <p className="hint" id={`${INTENT}-file-hint`}>
                {t("attachments.uploadIntro")}
              </p>
              {errors.file ? (
                <p className="field-error" id={`${INTENT}-file-error`}>
                  {t.msg(errors.file[0])}
                </p>
              ) : null}
              <input
                type="file"
                id={`${INTENT}-file`}
                name="file"
                accept=".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.pptx,.doc,.xls"
                aria-invalid={errors.file ? true : undefined}
                aria-describedby={described("file", true)}
              />
            </div>
            <button type="submit">{t("attachments.submit")}</button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
