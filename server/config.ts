import path from "node:path";

/** Every setting comes from the environment; the README's table lists them. */
export function loadConfig(env = process.env) {
  const production = env.NODE_ENV === "production";
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? "0.0.0.0",
    production,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? "data/pglite"),
    redisUrl: env.REDIS_URL || undefined,
    /** Origins allowed to post forms and open sockets, besides the request's own host. */
    publicOrigin: env.PUBLIC_ORIGIN || undefined,
    seed: env.SEED_DEMO !== "false",
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === "test" ? "warn" : "info"),
    authRateLimit: Number(env.AUTH_RATE_LIMIT ?? 20),
    authRateWindowMinutes: Number(env.AUTH_RATE_WINDOW_MINUTES ?? 10),
    // Secure cookies need HTTPS; on by default when the public origin is https
    secureCookies: env.SECURE_COOKIES ? env.SECURE_COOKIES === "true" : (env.PUBLIC_ORIGIN ?? "").startsWith("https://"),
    trustProxy: env.TRUST_PROXY ?? "loopback",
    remixBuild: path.resolve(env.REMIX_BUILD ?? "build/remix/index.js"),
  };
}
export type Config = ReturnType<typeof loadConfig>;
