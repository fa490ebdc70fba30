import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { SubmissionResult } from "@conform-to/react";
import { ErrorSummary, Field, getFormProps, Select, useSchemaForm } from "~/components/forms";
import { useT } from "~/i18n/use-t";
import { MatterDraftSchema } from "~/modules/matters/schemas";

/** The proposal form, shared by "propose" and "edit draft". */
export function MatterForm({
  lastResult,
  categories,
  defaults,
  submitLabel,
  header,
}: {
  header: ReactNode;
  lastResult: SubmissionResult<string[]> | undefined;
  categories: { id: number; name: string; nameEn: string | null }[];
  defaults?: Record<string, string>;
  submitLabel: string;
}) {
  const t = useT();
  const [form, fields] = useSchemaForm(MatterDraftSchema, lastResult, "matter", defaults);
  const textarea = (f: typeof fields.description, label: Parameters<typeof t>[0], hint: Parameters<typeof t>[0]) => (
    <div className={`field${f.errors?.length ? " field--error" : ""}`}>
      <label htmlFor={f.id}>{t(label)}</label>
      <p className="hint" id={f.descriptionId}>
        {t(hint)}
      </p>
      {f.errors?.length ? (
        <p className="field-error" id={f.errorId}>
          {t.msg(f.errors[0])}
        </p>
      ) : null}
      <textarea
        id={f.id}
        name={f.name}
        rows={6}
        defaultValue={(f.initialValue as string) ?? ""}
        aria-invalid={f.errors?.length ? true : undefined}
        aria-describedby={`${f.descriptionId}${f.errors?.length ? ` ${f.errorId}` : ""}`}
      />
    </div>
  );
  return (
    <>
      <ErrorSummary form={form} fields={[fields.title, fields.description, fields.categoryId, fields.affectedArea, fields.desiredOutcome]} />
      {header}
      <Form method="post" {...getFormProps(form)}>
        <Field field={fields.title} label="matters.field.title" hint="matters.field.titleHint" />
        {textarea(fields.description, "matters.field.description", "matters.field.descriptionHint")}
        <Select
          field={fields.categoryId}
          label="matters.field.category"
          options={categories.map((c) => ({ value: String(c.id), label: t.locale === "en" && c.nameEn ? c.nameEn : c.name }))}
        />
        <Field field={fields.affectedArea} label="matters.field.affectedArea" hint="matters.field.affectedAreaHint" />
        {textarea(fields.desiredOutcome, "matters.field.desiredOutcome", "matters.field.desiredOutcomeHint")}
        <button type="submit">{submitLabel}</button>
      </Form>
    </>
  );
}
