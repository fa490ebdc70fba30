import { Link } from "@remix-run/react";
import { useT } from "~/i18n/use-t";

/**
 * What happens after a proposal is submitted, for its proposer: how many co-signs are still
 * needed, what happens at the threshold, and a link (and a printable QR code) to hand to
 * neighbours, who co-sign in one step after signing in.
 */
export function NextSteps({ matterId, cosignCount, threshold, shareUrl }: { matterId: number; cosignCount: number; threshold: number; shareUrl: string }) {
  const t = useT();
  const needed = Math.max(0, threshold - cosignCount);
  return (
    <section className="notice next-steps" aria-labelledby="next-steps-title">
      <h2 id="next-steps-title">{t("matters.next.title")}</h2>
      <p>{t("matters.next.cosigns", { needed, threshold })}</p>
      <p>{t("matters.next.then")}</p>
      <div className="field">
        <label htmlFor="share-url">{t("matters.next.shareLink")}</label>
        <p className="hint" id="share-url-hint">
          {t("matters.next.shareHint")}
        </p>
        <input id="share-url" type="text" readOnly value={shareUrl} aria-describedby="share-url-hint" />
      </div>
      <p>
        <Link className="button secondary" to={`/matters/${matterId}/share`}>
          {t("matters.next.printQr")}
        </Link>
      </p>
    </section>
  );
}
