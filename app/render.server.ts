import type { ReactNode } from "react";
// the Web Streams renderer, not Node's: see renderDocument
import { renderToReadableStream } from "react-dom/server.browser";

/**
 * Renders a whole HTML document before sending it, waiting for every Suspense boundary.
 *
 * With single fetch (remix.config.js future.v3_singleFetch) a page's loader data reaches the
 * browser through a stream that Remix's `<Scripts>` renders inside a Suspense boundary, so the
 * renderer must wait for Suspense: `renderToString` leaves the boundary as a client fallback, the
 * data never arrives and the page never hydrates.
 *
 * React 18.3's Node stream renderer (`renderToPipeableStream`) flushes its 2 KB byte buffer with
 * trailing NUL bytes when a Chinese character straddles its end (its `writeStringChunk` sends the
 * whole buffer when `encodeInto` cannot fit the next character), corrupting attribute values such
 * as names inside aria-labels. The Web Streams renderer encodes each string whole and copies
 * bytes, so it has no such fault. `allReady` makes it finish the page before the response
 * starts, so the status is final and an error inside the render is a 500, not half a page.
 */
export async function renderDocument(
  element: ReactNode,
  opts: { nonce?: string; status: number; headers: Headers; timeoutMs: number; onError?: (e: unknown) => void },
): Promise<Response> {
  let status = opts.status;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error("render timeout")), opts.timeoutMs);
  try {
    const body = await renderToReadableStream(element, {
      nonce: opts.nonce,
      signal: abort.signal,
      onError(error: unknown) {
        status = 500;
        opts.onError?.(error);
      },
    });
    await body.allReady;
    opts.headers.set("Content-Type", "text/html; charset=utf-8");
    return new Response(lowPriorityScripts(await new Response(body).text()), { headers: opts.headers, status });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The page renders from its HTML and CSS alone; scripts only enhance it. Remix's <Scripts> asks for
 * every module with `<link rel="modulepreload">`, which browsers fetch at high priority, competing
 * with the stylesheet on a slow network (and Lighthouse counts high-priority scripts as render-
 * blocking). Marked low priority, they load after what paints the page. An added attribute does not
 * upset hydration (React does not compare attributes of these links in production).
 */
export function lowPriorityScripts(html: string): string {
  return html.replaceAll('<link rel="modulepreload" ', '<link rel="modulepreload" fetchpriority="low" ');
}
