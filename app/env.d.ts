/// <reference types="@remix-run/node" />
/// <reference types="@remix-run/dev" />
import type { YishiLoadContext } from "./modules/shared/load-context";

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends YishiLoadContext {}
}
declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends YishiLoadContext {}
}
