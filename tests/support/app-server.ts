/**
 * The whole server as production runs it (server/app.ts: Express, its middleware, the ballot
 * API, socket.io) on a random port, with the app's real route modules. The Remix build is made
 * here from app/ (the same flat-route names the compiler reads) instead of by `remix build`, so
 * a test needs no build step; only the browser assets are missing, which pages served to a test
 * client do not load.
 */
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
// the compiler's own reading of app/routes (imported from its file: the package index loads vite)
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import type { Database } from "../../db/client";
import { loadConfig } from "../../server/config";
import { createApp } from "../../server/app";

const appDir = path.resolve(import.meta.dirname, "../../app");

async function appBuild(opts: { singleFetch?: boolean } = {}): Promise<ServerBuild> {
  const manifest = flatRoutes(appDir, ["**/.*", "**/*.test.*"]);
  const routes: ServerBuild["routes"] = {
    root: { id: "root", path: "", module: (await import("../../app/root")) as unknown as ServerBuild["routes"][string]["module"] },
  };
  const assetRoutes: ServerBuild["assets"]["routes"] = {};
  for (const r of Object.values(manifest)) {
    routes[r.id] = { id: r.id, parentId: r.parentId ?? "root", path: r.path, index: r.index, caseSensitive: r.caseSensitive, module: await import(path.join(appDir, r.file)) };
  }
  for (const r of Object.values(routes)) {
    const m = r.module;
    assetRoutes[r.id] = {
      id: r.id,
      parentId: r.id === "root" ? undefined : r.parentId,
      path: r.path,
      index: r.index,
      module: `/build/${r.id}.js`,
      hasAction: !!m.action,
      hasLoader: !!m.loader,
      hasClientAction: false,
      hasClientLoader: false,
      hasErrorBoundary: !!m.ErrorBoundary,
    };
  }
  return {
    mode: "production",
    entry: { module: await import("../../app/entry.server") },
    routes,
    assets: { url: "/build/manifest-test.js", version: "test", entry: { module: "/build/entry.client.js", imports: [] }, routes: assetRoutes },
    publicPath: "/build/",
    assetsBuildDirectory: "build/public/build",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, ...(opts.singleFetch ? { v3_singleFetch: true } : {}) } as ServerBuild["future"],
    isSpaMode: false,
  };
}

/**
 * Starts the app on 127.0.0.1 with a random port over `database`; `close` stops it (not the database).
 * `singleFetch` answers `<path>.data` posts as the built app does for a page with JavaScript.
 */
export async function startApp(
  database: Database,
  env: Record<string, string> = {},
  opts: { singleFetch?: boolean; /** texts sent at once (sign-up and reset codes) land here; none: no SMS */ textMessage?: (to: string, text: string) => Promise<void> } = {},
) {
  const config = loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent", AUTH_RATE_LIMIT: "1000", ...env });
  const server = await createApp(config, { database: { ...database, close: async () => {} }, build: await appBuild(opts), textMessage: opts.textMessage });
  await server.listen();
  const origin = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
  return { ...server, origin };
}
