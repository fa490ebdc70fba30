import path from "node:path";
import { sessionPolicy } from "../app/modules/accounts/sessions.server";
import { throttlePolicy } from "../app/modules/accounts/throttle.server";
import { ratingDays } from "../app/modules/matters/outcomes/outcomes.server";
import { reportThreshold } from "../app/modules/matters/comments/report.server";
import { checkedStorageUrl } from "../app/modules/attachments/storage.server";
import type { Settings } from "../app/modules/shared/settings";

/**
 * Every setting comes from the environment; the README's table lists them.
 *
 * Two modes. Local (`npm start` passes YISHI_MODE=local, and any NODE_ENV other than production):
 * secrets are generated into the data folder and an empty database gets the demo. Production
 * (NODE_ENV=production without YISHI_MODE=local: `npm run serve`, deployment units): every secret
 * must be set (server/secrets.ts) and demo data comes only when asked for.
 *
 * Read once, at start; the result is passed in: to the server, the jobs, and through the load
 * context and command context (`settings`) to the modules, which read no environment themselves.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const production = env.NODE_ENV === "production" && env.YISHI_MODE !== "local";
  const dataDir = path.resolve(env.DATA_DIR ?? "data/pglite");
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? "0.0.0.0",
    production,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    /** Local mode keeps the secrets it generated here, beside the embedded database. */
    secretsFile: path.resolve(env.LOCAL_SECRETS_FILE ?? path.join(path.dirname(dataDir), "local-secrets.json")),
    redisUrl: env.REDIS_URL || undefined,
    /** Origins allowed to post forms and open sockets, besides the request's own host. */
    publicOrigin: env.PUBLIC_ORIGIN || undefined,
    /** Local: demo unless SEED_DEMO=false. Production: only with SEED_DEMO=true (or `--demo`), and then with a generated password. */
    seedDemo: production ? env.SEED_DEMO === "true" : env.SEED_DEMO !== "false",
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === "test" ? "warn" : "info"),
    authRateLimit: Number(env.AUTH_RATE_LIMIT ?? 20),
    authRateWindowMinutes: Number(env.AUTH_RATE_WINDOW_MINUTES ?? 10),
    /** Sign-ups per IP: high enough for a room of residents on one network (a sign-up morning at the community centre). */
    signupRateLimit: Number(env.SIGNUP_RATE_LIMIT ?? 200),
    signupRateWindowMinutes: Number(env.SIGNUP_RATE_WINDOW_MINUTES ?? 60),
    // Secure cookies and HSTS on every response when the public origin is https (or SECURE_COOKIES=true);
    // otherwise on each request that arrived over HTTPS (directly, or via X-Forwarded-Proto from a trusted proxy)
    secureCookies: env.SECURE_COOKIES ? env.SECURE_COOKIES === "true" : (env.PUBLIC_ORIGIN ?? "").startsWith("https://"),
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    remixBuild: path.resolve(env.REMIX_BUILD ?? "build/remix/index.js"),
    /** Remix's development mode sends stack traces to the browser: only an explicit NODE_ENV=development gets it. */
    development: env.NODE_ENV === "development",
    dbPool: Number(env.DB_POOL ?? 10),
    voteSchedulerMs: Number(env.VOTE_SCHEDULER_MS ?? 15_000),
    /** E-mail notifications: on when SMTP_URL, MAIL_FROM and NOTIFY_KEY are all set (server/channels.ts says which is missing). */
    email: {
      smtpUrl: env.SMTP_URL || undefined,
      from: env.MAIL_FROM || undefined,
      origin: env.PUBLIC_ORIGIN || `http://localhost:${Number(env.PORT ?? 3000)}`,
    },
    /** SMS notifications: SMS_PROVIDER=aliyun or tencent (with their keys), console (development: written to the log); unset: off. */
    sms: {
      provider: env.SMS_PROVIDER || undefined,
      signature: env.SMS_SIGNATURE || "议事",
      accessKeyId: env.SMS_ACCESS_KEY_ID || undefined,
      accessKeySecret: env.SMS_ACCESS_KEY_SECRET || undefined,
      templateId: env.SMS_TEMPLATE_ID || undefined,
      sdkAppId: env.SMS_SDK_APP_ID || undefined,
      region: env.SMS_REGION || undefined,
      endpoint: env.SMS_ENDPOINT || undefined,
    },
    /** What the modules need, handed to each command through its context. */
    settings: {
      sessions: sessionPolicy(env),
      throttle: throttlePolicy(env),
      ratingDays: ratingDays(env),
      reportThreshold: reportThreshold(env),
      publicOrigin: env.PUBLIC_ORIGIN || undefined,
      // checked here: an unknown STORAGE_URL stops the start rather than the first upload
      storageUrl: checkedStorageUrl(env.STORAGE_URL),
      selection: { timeLimitMs: Number(env.SELECTION_TIME_LIMIT_MS ?? 45_000), workerFile: env.SELECTION_WORKER || undefined },
      notifications: env.NOTIFY_KEY ? { unsubscribeKey: env.NOTIFY_KEY } : undefined,
    } satisfies Settings as Settings,
  };
}
export type Config = ReturnType<typeof loadConfig>;

/** Express `trust proxy`: "true"/"false", a hop count, or addresses and names ("loopback", "10.0.0.0/8, uniquelocal"). */
function trustProxyOf(raw: string | undefined): boolean | number | string {
  const v = (raw ?? "loopback").trim();
  if (v === "true" || v === "false") return v === "true";
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}
