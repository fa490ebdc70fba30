import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/use-t";

/** An optional photo in an intent form (a progress update, a declaration); the server checks the bytes, the accept list only helps the picker. */
export function PhotoField({ intent, errors, label = "outcomes.photo" }: { intent: string; errors: Record<string, string[]>; label?: MessageKey }) {
  const t = useT();
  const id = `${intent}-photo`;
  const err = errors.photo?.[0];
  return (
    <div className={`field${err ? " field--error" : ""}`}>
      <label htmlFor={id}>{t(label)}</label>
      <p className="hint" id={`${id}-hint`}>
        {t("outcomes.photoHint")}
      </p>
      {err ? (
        <p className="field-error" id={`${id}-error`}>
          {t.msg(err)}
        </p>
      ) : null}
      <input
        type="file"
        id={id}
        name="photo"
        accept="image/jpeg,image/png,image/webp"
        aria-invalid={err ? true : undefined}
        aria-describedby={[`${id}-hint`, err ? `${id}-error` : ""].filter(Boolean).join(" ")}
      />
    </div>
  );
}
