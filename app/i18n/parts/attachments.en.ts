import type { attachmentsZhCN } from "./attachments.zh-CN";

/** Attachments (issue 20). */
export const attachmentsEn: Record<keyof typeof attachmentsZhCN, string> = {
  "attachments.title": "Attachments",
  "attachments.pageTitle": "Attachments of “{title}”",
  "attachments.none": "No attachments yet.",
  "attachments.owner.proposal": "The proposal",
  "attachments.owner.material": "Advance-notice material: {title}",
  "attachments.owner.outcome": "The outcome",
  "attachments.uploadedAt": "Uploaded by {name} at {at}",
  "attachments.thumbAlt": "Thumbnail of {name}",
  "attachments.upload": "Upload an attachment",
  "attachments.uploadIntro": "PDF, images (PNG, JPEG, WebP) and office documents (docx, xlsx, pptx, doc, xls), up to 10 MB each. The type is read from the file's contents, not its name.",
  "attachments.target": "Attach to",
  "attachments.file": "Choose a file",
  "attachments.submit": "Upload",
  "attachments.uploaded": "“{name}” was uploaded.",
  "attachments.back": "Back to the matter",
  "attachments.errors.empty": "Choose a file.",
  "attachments.errors.tooLarge": "The file is larger than 10 MB. Compress or split it, then upload it again.",
  "attachments.errors.type": "Only PDF, PNG, JPEG or WebP images, or office documents, can be uploaded; this file's contents are none of these (renaming it does not help).",
  "attachments.errors.polyglot": "This file also looks like a file of another format, so it cannot be uploaded safely. Export it again and retry.",
  "attachments.errors.damaged": "This image cannot be opened; it may be damaged.",
  "attachments.errors.target": "Choose where to attach the file.",
  "attachments.errors.forbidden": "You cannot upload attachments here.",
} as const;
