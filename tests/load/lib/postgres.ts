import postgres from "postgres";

/** The server the harness creates its databases on: BENCH_DATABASE_URL, else DATABASE_URL, else the local test server. */
export function serverUrl(env = process.env) {
  return env.BENCH_DATABASE_URL || env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
}

export function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Hides the password, for messages. */
export function redact(url: string) {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function onServer<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, idle_timeout: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 2 });
  }
}

async function drop(sql: postgres.Sql, name: string) {
  try {
    await sql.unsafe(`drop database if exists ${quoteIdent(name)} with (force)`);
  } catch {
    // before PostgreSQL 13 there is no (force)
    await sql.unsafe(`drop database if exists ${quoteIdent(name)}`);
  }
}

/**
 * Drops and re-creates database `name` on the server at `url` (any database on it will do for the connection).
 * Returns its URL and a function that drops it again, or the reason PostgreSQL could not be used.
 */
export async function freshDatabase(url: string, name: string): Promise<{ ok: true; url: string; drop: () => Promise<void> } | { ok: false; reason: string }> {
  try {
    await onServer(url, async (sql) => {
      await drop(sql, name);
      await sql.unsafe(`create database ${quoteIdent(name)}`);
    });
  } catch (e) {
    return { ok: false, reason: `PostgreSQL at ${redact(url)} is not usable: ${(e as Error).message}` };
  }
  return { ok: true, url: withDatabase(url, name), drop: () => onServer(url, (sql) => drop(sql, name)) };
}
