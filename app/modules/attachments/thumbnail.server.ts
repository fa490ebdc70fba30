/**
 * A small WebP of an uploaded image, made once at upload with sharp (libvips). Decoding the image
 * is also the last check that it is one: bytes that begin like an image but do not decode are
 * refused. Images above 40 million pixels are refused before decoding (a decompression bomb).
 */
import sharp from "sharp";

export const THUMB_SIZE = 320;

export async function makeThumbnail(bytes: Uint8Array): Promise<Uint8Array | null> {
  try {
    const out = await sharp(bytes, { limitInputPixels: 40_000_000, failOn: "error" })
      .rotate()
      .resize(THUMB_SIZE, THUMB_SIZE, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 70 })
      .toBuffer();
    return new Uint8Array(out);
  } catch {
    return null;
  }
}
