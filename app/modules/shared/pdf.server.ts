import { createRequire } from "node:module";
import type PDFDocument from "pdfkit";

let fontPath: string | undefined;
/** Noto Sans SC (SIL OFL 1.1), the one font for Chinese text in server-made PDFs; pdfkit subsets it when embedding. */
export function chineseFont() {
  fontPath ??= createRequire(import.meta.url).resolve("@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf");
  return fontPath;
}

/** The whole file of a pdfkit document once `end()` has been called on it. */
export function pdfBytes(doc: InstanceType<typeof PDFDocument>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on("data", (b: Buffer) => chunks.push(b));
  return new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
}
