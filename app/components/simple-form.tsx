import { Form } from "@remix-run/react";
import { useEffect, useRef, type FormEvent, type ReactNode } from "react";
import { useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n";

/** The error part of a conform reply, as an action returns it. */
export type Reply = { result?: { error?: Record<string, string[] | null> | null; initialValue?: Record<string, unknown> | null } | null; intent?: string } | undefined;

export function errorsOf(data: Reply, intent: string): Record<string, string[]> {
  if (!data || data.intent !== intent) return {};
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(data.result?.error ?? {})) if (v?.length) out[k] = v;
  return out;
}

/**
 * Error summary for a page with several small forms (one per intent): links go to
 * `${intent}-${field}`; it takes focus when it appears.
 */
export function IntentErrorSummary({ data }: { data: Reply }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const intent = data?.intent ?? "";
  const errors = errorsOf(data, intent);
  const entries = Object.entries(errors);
  const key = entries.map(([k, v]) => k + v.join()).join("|");
  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key]);
  if (!entries.length) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t("form.errorSummary")}</h2>
      <ul>
        {entries.map(([field, msgs]) => (
          <li key={field}>{field ? <a href={`#${intent}-${field}`}>{t.msg(msgs[0])}</a> : t.msg(msgs[0])}</li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Label, hint and the message beside the field, all linked by id: the frame every input and
 * select of an intent form sits in. Returns the ids the control must point at.
 */
function useIntentFrame(intent: string, name: string, errors: Record<string, string[]>, hint?: MessageKey) {
  const id = `${intent}-${name}`;
  const err = errors[name]?.[0];
  const described = [hint ? `${id}-hint` : "", err ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return { id, err, controlProps: { id, name, "aria-invalid": err ? true : undefined, "aria-describedby": described } };
}

function IntentFrame({ id, err, label, hint, optional, children }: { id: string; err?: string; label: string; hint?: MessageKey; optional?: boolean; children: ReactNode }) {
  const t = useT();
  return (
    <div className={`field${err ? " field--error" : ""}`}>
      <label htmlFor={id}>
        {label}
        {optional ? <span className="optional">{t("form.optional")}</span> : null}
      </label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {t(hint)}
        </p>
      ) : null}
      {err ? (
        <p className="field-error" id={`${id}-error`}>
          {t.msg(err)}
        </p>
      ) : null}
      {children}
    </div>
  );
}

/** A labelled input in a small intent form, with its message beside it. */
export function IntentField({
  intent,
  name,
  label,
  hint,
  errors,
  type = "text",
  textarea,
  required = true,
  defaultValue,
}: {
  intent: string;
  name: string;
  label: MessageKey;
  hint?: MessageKey;
  errors: Record<string, string[]>;
  type?: string;
  textarea?: boolean;
  required?: boolean;
  defaultValue?: string;
}) {
  const t = useT();
  const { id, err, controlProps } = useIntentFrame(intent, name, errors, hint);
  const props = { ...controlProps, required, defaultValue };
  return (
    <IntentFrame id={id} err={err} label={t(label)} hint={hint} optional={!required}>
      {textarea ? <textarea {...props} rows={5} /> : <input {...props} type={type} />}
    </IntentFrame>
  );
}

export function IntentForm({
  intent,
  children,
  className,
  encType,
  onSubmit,
}: {
  intent: string;
  children: ReactNode;
  className?: string;
  encType?: "multipart/form-data";
  /** A script's own way to send the form; it calls preventDefault, or Remix posts the form as usual. */
  onSubmit?: (e: FormEvent<HTMLFormElement>) => void;
}) {
  return (
    <Form method="post" className={className} noValidate encType={encType} onSubmit={onSubmit}>
      <input type="hidden" name="intent" value={intent} />
      {children}
    </Form>
  );
}

/** A labelled select in a small intent form, with its message beside it. */
export function IntentSelect({
  intent,
  name,
  label,
  labelText,
  hint,
  errors,
  options,
  defaultValue,
}: {
  intent: string;
  name: string;
  label?: MessageKey;
  /** a label that is data (e.g. a question the committee wrote), not a catalogue key */
  labelText?: string;
  hint?: MessageKey;
  errors: Record<string, string[]>;
  options: { value: string; label: string }[];
  defaultValue?: string;
}) {
  const t = useT();
  const { id, err, controlProps } = useIntentFrame(intent, name, errors, hint);
  return (
    <IntentFrame id={id} err={err} label={labelText ?? (label ? t(label) : "")} hint={hint}>
      <select {...controlProps} defaultValue={defaultValue ?? ""} required>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </IntentFrame>
  );
}
