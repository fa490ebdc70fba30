import http from "node:http";
import { pathToFileURL } from "node:url";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { pino } from "pino";
import { pinoHttp } from "pino-http";
import { migrate, openDatabase, type Database } from "../db/client";
import { systemClock } from "../app/modules/shared/clock";
import { EventBus } from "../app/modules/shared/events";
import { resolveActor } from "../app/web/actor.server";
import { bodyLimitFor } from "../app/web/upload.server";
import type { YishiLoadContext } from "../app/web/load-context";
import type { Config } from "./config";
import { authRateLimit, decodablePaths, formBodiesOnly, httpsOnly, localeOf, refusal, remixHandler, requestIds, sameOriginOnly } from "./http";
import { attachRealtime } from "./realtime";
import { ballotApi } from "./ballot-api";
import { ConfigError } from "./secrets";

export async function createApp(
  config: Config,
  opts: { database?: Database; build?: ServerBuild; /** sends one text at once (server/channels.ts); none: no SMS */ textMessage?: (to: string, text: string) => Promise<void> } = {},
) {
  // the commands fall back to the repository's development keys without secrets in their settings
  if (config.production && !config.settings.secrets) throw new ConfigError("Refusing to start in production: the secrets were not checked (prepareSecrets) before the server was made.");
  const log = pino({ level: config.logLevel, redact: ["req.headers.cookie", "res.headers[\"set-cookie\"]"] });
  const database =
    opts.database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPool }));
  await migrate(database);
  const events = new EventBus();
  const build = opts.build ?? ((await import(pathToFileURL(config.remixBuild).href)) as ServerBuild);

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  app.use(requestIds);
  app.use(
    pinoHttp({
      logger: log,
      genReqId: (_req, res) => (res as express.Response).locals.requestId,
      autoLogging: { ignore: (req) => (req.url ?? "").startsWith("/build/") || req.url === "/healthz" },
      // a lean line per request: no headers (cookies never reach the log), just what tracing needs
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info"),
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.nonce}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: config.secureCookies ? [] : null,
        },
      },
      // set per request below: on whenever the request is HTTPS
      strictTransportSecurity: false,
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
      crossOriginEmbedderPolicy: false,
      xFrameOptions: { action: "deny" },
    }),
  );
  app.use(httpsOnly(config.secureCookies));
  app.use(compression());

  app.get("/healthz", async (_req, res) => {
    try {
      await database.exec("select 1");
      res.json({ ok: true, database: database.driver });
    } catch (e) {
      log.error({ err: (e as Error).message }, "health check failed");
      res.status(503).json({ ok: false });
    }
  });

  app.use("/build", express.static("build/public/build", { immutable: true, maxAge: "1y", fallthrough: false }));
  // the icon is inline in the page; answer the browser's automatic request without rendering a 404 page
  app.get("/favicon.ico", (_req, res) => res.status(204).set("Cache-Control", "public, max-age=86400").end());

  app.use(decodablePaths);
  app.use(sameOriginOnly(config.publicOrigin));
  app.use(formBodiesOnly(bodyLimitFor));
  app.use(
    authRateLimit({
      limit: config.authRateLimit,
      windowMinutes: config.authRateWindowMinutes,
      signupLimit: config.signupRateLimit,
      signupWindowMinutes: config.signupRateWindowMinutes,
    }),
  );

  app.all(
    "*",
    remixHandler({
      build,
      maxBodyBytes: bodyLimitFor,
      // development mode would send stack traces to the browser; only an explicit NODE_ENV=development gets it
      mode: config.development ? "development" : "production",
      getLoadContext: async (req, res) => {
        const { actor, token } = await resolveActor(database.db, req.headers.cookie, systemClock.now(), config.settings);
        return {
          db: database.db,
          events,
          clock: systemClock,
          nonce: res.locals.nonce,
          requestId: res.locals.requestId,
          locale: localeOf(req),
          actor,
          sessionToken: token,
          secureCookies: res.locals.secure === true,
          ip: req.ip,
          rateLimited: res.locals.rateLimited === true,
          settings: config.settings,
          textMessage: opts.textMessage,
        } satisfies YishiLoadContext as unknown as AppLoadContext;
      },
    }),
  );

  app.use((err: Error & { status?: number }, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // middleware says what went wrong with the request as a 4xx status (a static file that is not there, a path it cannot read)
    const status = Number(err.status);
    if (status >= 400 && status < 500) {
      if (!res.headersSent) refusal(req, res, status === 404 ? 404 : status === 413 ? 413 : 400, status === 404 ? "errors.notFound" : status === 413 ? "errors.tooLarge" : "errors.badRequest");
      return;
    }
    log.error({ err: err.message, requestId: res.locals.requestId }, "unhandled");
    if (!res.headersSent) refusal(req, res, 500, "errorPage.body.500");
  });

  // the vote page's script posts ballots here, ahead of Express: the same command, no page render
  const ballots = ballotApi({ db: database.db, events, clock: systemClock, log, publicOrigin: config.publicOrigin, settings: config.settings });
  const httpServer = http.createServer((req, res) => (ballots.handles(req) ? ballots.serve(req, res) : app(req, res)));
  // Node closes idle keep-alive sockets after 5 s; a client reusing one at that instant gets a
  // reset. Keep them longer than clients and proxies do (60 s), and headers a little longer still.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const realtime = await attachRealtime(httpServer, { db: database.db, events, log, redisUrl: config.redisUrl, publicOrigin: config.publicOrigin, settings: config.settings });

  return {
    app,
    httpServer,
    database,
    events,
    log,
    io: realtime.io,
    listen: () =>
      new Promise<number>((resolve) => {
        httpServer.listen(config.port, config.host, () => {
          const addr = httpServer.address();
          resolve(typeof addr === "object" && addr ? addr.port : config.port);
        });
      }),
    close: async () => {
      // requests in flight get a few seconds to finish; a connection still open after that (a
      // client that went quiet mid-request) is cut, so shutting down never waits on a client.
      // socket.io's close closes the HTTP server too, and waits for its connections likewise.
      const cut = setTimeout(() => httpServer.closeAllConnections(), 5_000);
      try {
        await realtime.close();
        await new Promise<void>((r) => httpServer.close(() => r()));
      } finally {
        clearTimeout(cut);
      }
      await database.close();
    },
  };
}

