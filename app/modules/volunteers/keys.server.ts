import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Settings } from "../shared/settings";

/**
 * A fixed key for tests only (a context without `settings.secrets`): the same
 * results on every run. It is in the repository, so it protects nothing: the server refuses to
 * start in production with it (server/secrets.ts), and `npm start` generates a local key instead.
 */
export const DEVELOPMENT_VOLUNTEER_KEY = "yishi-development-volunteer-key (not for production)";

export interface Keys {
  encrypt: Buffer;
  idMac: Buffer;
  seal: Buffer;
  /** HMAC for e-card QR tokens (issue 21). */
  ecard: Buffer;
}
let cached: { source: string; keys: Keys } | undefined;

/** The keys (HKDF-SHA256) one secret gives: AES-256-GCM for ID numbers, HMAC for duplicate checks, HMAC for certificate seals, HMAC for e-card tokens. */
export function keysFromSecret(secret: string): Keys {
  const master = createHash("sha256").update(secret).digest();
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), info, 32));
  return { encrypt: derive("yishi/volunteer-id/aes-256-gcm"), idMac: derive("yishi/volunteer-id/hmac"), seal: derive("yishi/certificate/seal"), ecard: derive("yishi/volunteer/e-card") };
}

/**
 * The keys derived from VOLUNTEER_ID_KEY, which the server reads once at start and hands in
 * through the context's settings (server/secrets.ts refuses to start production without it).
 */
export function volunteerKeys(settings: Pick<Settings, "secrets"> | undefined): Keys {
  const source = settings?.secrets?.volunteerIdKey || DEVELOPMENT_VOLUNTEER_KEY;
  if (cached && cached.source === source) return cached.keys;
  const keys = keysFromSecret(source);
  cached = { source, keys };
  return keys;
}

/** "v1.<iv>.<tag>.<ciphertext>" in base64url; a dump of the table shows no ID number. */
export function encryptIdNumber(id: string, keys: Keys) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keys.encrypt, iv);
  const ct = Buffer.concat([cipher.update(id, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

export function decryptIdNumber(stored: string, keys: Keys) {
  const [v, iv, tag, ct] = stored.split(".");
  if (v !== "v1" || !iv || !tag || !ct) throw new Error("unknown ID cipher format");
  const decipher = createDecipheriv("aes-256-gcm", keys.encrypt, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}

/** Keyed hash of the normalised ID number: equal numbers give equal hashes, the number cannot be guessed back without the key. */
export function idNumberHmac(id: string, keys: Keys) {
  return createHmac("sha256", keys.idMac).update(id).digest("hex");
}

export function sealHmac(content: string, keys: Keys) {
  return createHmac("sha256", keys.seal).update(content).digest("hex");
}

export function sameHex(a: string, b: string) {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
