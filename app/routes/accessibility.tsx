import { Link } from "@remix-run/react";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export const meta = titleMeta("a11y.title");

/** The accessibility statement (issue 22): what is supported, known limits, how to ask for help. Linked from every footer. */
export default function Accessibility() {
  const t = useT();
  return (
    <>
      <h1>{t("a11y.title")}</h1>
      <p>{t("a11y.intro")}</p>
      <h2>{t("a11y.supported.title")}</h2>
      <ul>
        <li>{t("a11y.supported.elder")}</li>
        <li>{t("a11y.supported.keyboard")}</li>
        <li>{t("a11y.supported.screenReader")}</li>
        <li>{t("a11y.supported.readAloud")}</li>
        <li>{t("a11y.supported.noJs")}</li>
        <li>{t("a11y.supported.text")}</li>
        <li>{t("a11y.supported.paper")}</li>
        <li>{t("a11y.supported.zoom")}</li>
      </ul>
      <h2>{t("a11y.limits.title")}</h2>
      <ul>
        <li>{t("a11y.limits.voice")}</li>
        <li>{t("a11y.limits.attachments")}</li>
        <li>{t("a11y.limits.maps")}</li>
      </ul>
      <h2>{t("a11y.help.title")}</h2>
      <p>{t("a11y.help.body")}</p>
      <p>{t("a11y.help.report")}</p>
      <p className="muted">{t("a11y.standard")}</p>
      <p>
        <Link to="/">{t("errorPage.back")}</Link>
      </p>
    </>
  );
}
