/**
 * Where attachment bytes live, behind one interface chosen by STORAGE_URL:
 * - unset, `postgres:` or `postgresql:` — the database itself (`stored_objects`, bytea), written in
 *   the upload's own transaction; works on the embedded database as well;
 * - `file:///absolute/dir` — files on disk, one per object.
 * S3-compatible storage is not built (see docs/decisions/2026-12-03-attachments.md).
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { storedObjects } from "../../../db/schema";

export interface ObjectStorage {
  readonly kind: "postgres" | "file";
  /** Stores `bytes` under a new key; `db` is the upload's transaction (the database storage writes there). */
  put(db: Db, key: string, bytes: Uint8Array, at: Date): Promise<void>;
  /** The bytes under `key`, or null when there are none. */
  get(db: Db, key: string): Promise<Uint8Array<ArrayBuffer> | null>;
}

/** Keys are made by the upload (`att-<uuid>`); anything else never reaches a path. */
const KEY = /^[a-z0-9][a-z0-9-]{0,80}$/;

function checkKey(key: string) {
  if (!KEY.test(key)) throw new Error(`bad storage key: ${key}`);
}

export const postgresStorage: ObjectStorage = {
  kind: "postgres",
  async put(db, key, bytes, at) {
    checkKey(key);
    await db.insert(storedObjects).values({ key, data: Buffer.from(bytes), createdAt: at });
  },
  async get(db, key) {
    const [row] = await db.select({ data: storedObjects.data }).from(storedObjects).where(eq(storedObjects.key, key));
    return row ? new Uint8Array(row.data) : null;
  },
};

export function fileStorage(dir: string): ObjectStorage {
  return {
    kind: "file",
    async put(_db, key, bytes) {
      checkKey(key);
      await mkdir(dir, { recursive: true });
      // written whole under a temporary name, then renamed: a reader never sees half a file
      const tmp = join(dir, `.${key}.tmp`);
      await writeFile(tmp, bytes, { flag: "wx" });
      await rename(tmp, join(dir, key));
    },
    async get(_db, key) {
      if (!KEY.test(key)) return null;
      try {
        return new Uint8Array(await readFile(join(dir, key)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw e;
      }
    },
  };
}

/** The storage a STORAGE_URL names; an unknown scheme throws (server/config.ts refuses to start). */
export function storageFromUrl(url: string | undefined): ObjectStorage {
  const v = (url ?? "").trim();
  if (v === "" || v === "postgres:" || v === "postgresql:") return postgresStorage;
  if (v.startsWith("file://")) return fileStorage(fileURLToPath(v));
  throw new Error(`STORAGE_URL must be unset, "postgres:" or "file:///absolute/dir" (S3 is not supported), not ${JSON.stringify(v)}`);
}

/** STORAGE_URL as the settings keep it, after checking it names a storage this build has (else it throws). */
export function checkedStorageUrl(url: string | undefined) {
  storageFromUrl(url);
  return url?.trim() || undefined;
}
