import { errorsOf, IntentField, IntentForm, type Reply } from "~/components/simple-form";
import { useT } from "~/i18n/use-t";

interface Material {
  id: number;
  title: string;
  body: string;
  url: string | null;
  publishedAt: string;
}

/** The matter's published materials, and the form to publish one for whoever may. */
export function MaterialsSection({ materials, canPublish, data }: { materials: Material[]; canPublish: boolean; data: Reply }) {
  const t = useT();
  const materialErrors = errorsOf(data, "materials");
  return (
    <section aria-labelledby="materials-heading">
      <h2 id="materials-heading">{t("matters.materials")}</h2>
      {materials.length === 0 ? <p>{t("matters.materialsNone")}</p> : null}
      <ul className="card-list">
        {materials.map((m) => (
          <li key={m.id}>
            <strong>{m.title}</strong> <span className="muted">{t.time(m.publishedAt)}</span>
            <p>{m.body}</p>
            {m.url ? (
              <a href={m.url} rel="noopener noreferrer nofollow">
                {m.url}
              </a>
            ) : null}
          </li>
        ))}
      </ul>
      {canPublish ? (
        <details open={Object.keys(materialErrors).length > 0}>
          <summary>{t("matters.publishMaterials")}</summary>
          <IntentForm intent="materials">
            <IntentField intent="materials" name="title" label="matters.material.title" errors={materialErrors} />
            <IntentField intent="materials" name="body" label="matters.material.body" errors={materialErrors} textarea />
            <IntentField intent="materials" name="url" label="matters.material.url" hint="matters.material.urlHint" errors={materialErrors} type="url" required={false} />
            <button type="submit">{t("matters.publishMaterials")}</button>
          </IntentForm>
        </details>
      ) : null}
    </section>
  );
}
