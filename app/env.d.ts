/// <reference types="@remix-run/node" />
/// <reference types="@remix-run/dev" />
import type { YishiLoadContext } from "./web/load-context";

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends YishiLoadContext {}
}
declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends YishiLoadContext {}
}

// single fetch (remix.config.js future.v3_singleFetch): loader and action data are typed as
// turbo-stream delivers them (Dates stay Dates), not as JSON would serialise them
declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}

