import { getFormProps, getInputProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useEffect, useRef, type ReactNode } from "react";
import type { z } from "zod";
import { useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n";

/** One conform form per zod schema: the same schema validates in the browser and in the action. */
export function useSchemaForm<S extends z.ZodTypeAny>(
  schema: S,
  lastResult: SubmissionResult<string[]> | undefined,
  id?: string,
  /** starting values (read once); never pass them as a fresh lastResult, which re-renders forever */
  defaultValue?: Record<string, unknown>,
) {
  return useForm<z.input<S> & Record<string, unknown>>({
    id,
    lastResult,
    defaultValue: defaultValue as never,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }) as never,
  });
}

export { getFormProps };

/**
 * GOV.UK-style error summary: a titled box at the top linking to each field with a problem.
 * It takes focus when it appears so a screen reader hears it first.
 */
export function ErrorSummary({ form, fields }: { form: { errors?: string[] }; fields: FieldMetadata<unknown>[] }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const fieldErrors = fields.filter((f) => f.errors?.length);
  const all = [...(form.errors ?? []).map((e) => ({ id: undefined, e })), ...fieldErrors.map((f) => ({ id: f.id, e: f.errors![0] }))];
  const key = all.map((x) => x.e).join("|");
  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key]);
  if (all.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t("form.errorSummary")}</h2>
      <ul>
        {all.map((x, i) => (
          <li key={i}>{x.id ? <a href={`#${x.id}`}>{t.msg(x.e)}</a> : t.msg(x.e)}</li>
        ))}
      </ul>
    </div>
  );
}

type InputType = "text" | "password" | "tel" | "number" | "email" | "datetime-local";

/** Label, hint, then the message beside the field: the frame every input and select sits in. */
function FieldFrame({ field, label, hint, optional, children }: { field: FieldMetadata<unknown>; label: MessageKey; hint?: MessageKey; optional?: boolean; children: ReactNode }) {
  const t = useT();
  return (
    <div className={`field${field.errors?.length ? " field--error" : ""}`}>
      <label htmlFor={field.id}>
        {t(label)}
        {optional ? <span className="optional">{t("form.optional")}</span> : null}
      </label>
      {hint ? (
        <p className="hint" id={field.descriptionId}>
          {t(hint)}
        </p>
      ) : null}
      {field.errors?.length ? (
        <p className="field-error" id={field.errorId}>
          {t.msg(field.errors[0])}
        </p>
      ) : null}
      {children}
    </div>
  );
}

/** Label, hint, the message beside the field, then the input: in that order, all linked for screen readers. */
export function Field({
  field,
  label,
  hint,
  type = "text",
  autoComplete,
  optional,
  inputMode,
}: {
  field: FieldMetadata<unknown>;
  label: MessageKey;
  hint?: MessageKey;
  type?: InputType;
  autoComplete?: string;
  optional?: boolean;
  inputMode?: "numeric" | "text" | "tel";
}) {
  const props = getInputProps(field as FieldMetadata<string>, { type, ariaDescribedBy: hint ? field.descriptionId : undefined });
  return (
    <FieldFrame field={field} label={label} hint={hint} optional={optional}>
      <input {...props} key={props.key} autoComplete={autoComplete} inputMode={inputMode} />
    </FieldFrame>
  );
}

export function Select({ field, label, options, hint }: { field: FieldMetadata<unknown>; label: MessageKey; hint?: MessageKey; options: { value: string; label: string }[] }) {
  return (
    <FieldFrame field={field} label={label} hint={hint}>
      <select
        id={field.id}
        name={field.name}
        defaultValue={(field.initialValue as string) ?? ""}
        aria-invalid={field.errors?.length ? true : undefined}
        aria-describedby={[hint ? field.descriptionId : "", field.errors?.length ? field.errorId : ""].filter(Boolean).join(" ") || undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export { Notice } from "./notice";
