/** A stored photo as its response: the type sniffed at upload, no second guessing by the browser, private to the asker. */
export function photoResponse(photo: { contentType: string; data: Buffer }) {
  return new Response(new Uint8Array(photo.data), {
    headers: {
      "content-type": photo.contentType,
      "content-length": String(photo.data.length),
      "x-content-type-options": "nosniff",
      "content-disposition": "inline",
      "cache-control": "private, max-age=3600",
    },
  });
}
