import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

/** A fixed development key: tests and demos get the same results on every run; production must set VOLUNTEER_ID_KEY. */
const DEV_SECRET = "yishi-development-volunteer-key (not for production)";
let warned = false;

interface Keys {
  encrypt: Buffer;
  idMac: Buffer;
  seal: Buffer;
}
let cached: { source: string; keys: Keys } | undefined;

/**
 * Three keys derived (HKDF-SHA256) from VOLUNTEER_ID_KEY: AES-256-GCM for ID numbers, HMAC for
 * duplicate checks, HMAC for certificate seals. Read on each call so tests can set the variable.
 */
export function volunteerKeys(env: NodeJS.ProcessEnv = process.env): Keys {
  const source = env.VOLUNTEER_ID_KEY ?? "";
  if (!source && env.NODE_ENV === "production" && !warned) {
    warned = true;
    console.warn("VOLUNTEER_ID_KEY is not set: volunteer ID numbers are encrypted with the development key. Set a long random VOLUNTEER_ID_KEY.");
  }
  if (cached && cached.source === source) return cached.keys;
  const master = createHash("sha256").update(source || DEV_SECRET).digest();
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), info, 32));
  const keys = { encrypt: derive("yishi/volunteer-id/aes-256-gcm"), idMac: derive("yishi/volunteer-id/hmac"), seal: derive("yishi/certificate/seal") };
  cached = { source, keys };
  return keys;
}

/** "v1.<iv>.<tag>.<ciphertext>" in base64url; a dump of the table shows no ID number. */
export function encryptIdNumber(id: string) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", volunteerKeys().encrypt, iv);
  const ct = Buffer.concat([cipher.update(id, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

export function decryptIdNumber(stored: string) {
  const [v, iv, tag, ct] = stored.split(".");
  if (v !== "v1" || !iv || !tag || !ct) throw new Error("unknown ID cipher format");
  const decipher = createDecipheriv("aes-256-gcm", volunteerKeys().encrypt, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}

/** Keyed hash of the normalised ID number: equal numbers give equal hashes, the number cannot be guessed back without the key. */
export function idNumberHmac(id: string) {
  return createHmac("sha256", volunteerKeys().idMac).update(id).digest("hex");
}

export function sealHmac(content: string) {
  return createHmac("sha256", volunteerKeys().seal).update(content).digest("hex");
}

export function sameHex(a: string, b: string) {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
