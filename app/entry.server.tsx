import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { NonceContext } from "./components/nonce";
import { withMessageRecording } from "./i18n/messages.server";
import { renderDocument } from "./render.server";

/**
 * How long single fetch waits for a loader's promise before rejecting it (Remix reads this
 * export). Our loaders return settled data, so this is only a bound.
 */
export const streamTimeout = 5_000;

/** The whole page, rendered before it is sent (render.server.ts says why this renderer). */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.nonce;
  // the page carries the messages its render used (root.tsx's PageMessages), not whole catalogues
  return withMessageRecording(() =>
    renderDocument(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceContext.Provider>,
      { nonce, status: responseStatusCode, headers: responseHeaders, timeoutMs: streamTimeout + 1_000, onError: (e) => console.error(e) },
    ),
  );
}
