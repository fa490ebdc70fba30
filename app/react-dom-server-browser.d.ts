// React's Web Streams renderer under its own entry point (app/render.server.ts says why it is
// used); its types are those of react-dom/server. A file without imports, so this declares the
// module rather than augmenting one.
declare module "react-dom/server.browser" {
  export { renderToReadableStream } from "react-dom/server";
}
