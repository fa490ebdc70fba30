import { useT } from "~/i18n/use-t";

export interface AttachmentItem {
  id: number;
  ownerType: "proposal" | "material" | "outcome";
  filename: string;
  contentType: string;
  bytes: number;
  hasThumb: boolean;
  image: boolean;
  createdAt: string;
  uploader: string;
  materialTitle: string | null;
}

export function sizeOf(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A matter's files: a thumbnail for an image, the name (a download for anything else), size, who and when. */
export function AttachmentList({ items }: { items: AttachmentItem[] }) {
  const t = useT();
  if (!items.length) return <p>{t("attachments.none")}</p>;
  return (
    <ul className="card-list attachment-list">
      {items.map((a) => (
        <li key={a.id} id={`attachment-${a.id}`}>
          {a.hasThumb ? <img src={`/attachments/${a.id}/thumb`} alt={t("attachments.thumbAlt", { name: a.filename })} width={80} loading="lazy" /> : null}{" "}
          <a href={`/attachments/${a.id}`} {...(a.image ? {} : { download: a.filename })}>
            {a.filename}
          </a>{" "}
          <span className="muted">
            {sizeOf(a.bytes)} ·{" "}
            {a.ownerType === "material" ? t("attachments.owner.material", { title: a.materialTitle ?? "" }) : t(a.ownerType === "proposal" ? "attachments.owner.proposal" : "attachments.owner.outcome")} ·{" "}
            {t("attachments.uploadedAt", { name: a.uploader, at: t.time(a.createdAt) })}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The matter page's part: its files, and the way to the upload page for whoever may add one. */
export function AttachmentsSection({ matterId, files }: { matterId: number; files: { attachments: AttachmentItem[]; targets: unknown[] } }) {
  const t = useT();
  return (
    <section aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t("attachments.title")}</h2>
      <AttachmentList items={files.attachments} />
      {files.targets.length ? (
        <p>
          <a href={`/matters/${matterId}/attachments`}>{t("attachments.upload")}</a>
        </p>
      ) : null}
    </section>
  );
}
