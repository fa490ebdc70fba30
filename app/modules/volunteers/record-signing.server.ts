import { createHash, createPrivateKey, createPublicKey, hkdfSync, sign, verify, type KeyObject } from "node:crypto";
import type { Settings } from "../shared/settings";

/**
 * Ed25519 signing of exported volunteer records (docs/volunteer-record-format.md).
 *
 * The installation's key pair comes from one secret, RECORD_SIGNING_KEY (server/secrets.ts: refused
 * in production when missing or weak, generated into the data folder in local mode): the private
 * key's 32-byte seed is HKDF-SHA256 of it, so the same secret always gives the same pair and the
 * pair never has to be stored apart. The public key is published at
 * /.well-known/yishi-volunteer-key.
 */

/** For tests only (a context without settings); production refuses to start with it. */
export const DEVELOPMENT_RECORD_SIGNING_KEY = "yishi-development-record-signing-key (not for production)";

/** The DER prefix that makes a 32-byte Ed25519 seed a PKCS#8 private key (RFC 8410). */
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
/** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows. */
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export interface RecordKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The raw 32-byte public key, base64. */
  publicKeyBase64: string;
  /** The first 16 hex digits of SHA-256 over the raw public key: names the key in a document. */
  keyId: string;
}

let cached: { source: string; pair: RecordKeyPair } | undefined;

export function recordKeyPairFromSecret(secret: string): RecordKeyPair {
  const master = createHash("sha256").update(secret).digest();
  const seed = Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), "yishi/volunteer-record/ed25519", 32));
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(privateKey);
  const raw = (publicKey.export({ format: "der", type: "spki" }) as Buffer).subarray(SPKI_PREFIX.length);
  return { privateKey, publicKey, publicKeyBase64: raw.toString("base64"), keyId: keyIdOf(raw) };
}

/** The installation's pair, from the secret the server was started with (the development one in tests). */
export function recordKeyPair(settings: Pick<Settings, "secrets"> | undefined): RecordKeyPair {
  const source = settings?.secrets?.recordSigningKey || DEVELOPMENT_RECORD_SIGNING_KEY;
  if (cached?.source === source) return cached.pair;
  const pair = recordKeyPairFromSecret(source);
  cached = { source, pair };
  return pair;
}

export function keyIdOf(rawPublicKey: Buffer) {
  return createHash("sha256").update(rawPublicKey).digest("hex").slice(0, 16);
}

/**
 * A public key as people paste it: the raw 32 bytes in base64 (what the well-known URL publishes),
 * a PEM "PUBLIC KEY" block, or the whole JSON the well-known URL answers. Null when it is none of them.
 */
export function parsePublicKey(text: string): { key: KeyObject; raw: Buffer; keyId: string } | null {
  let s = text.trim();
  if (s.startsWith("{")) {
    try {
      const j = JSON.parse(s) as { publicKey?: unknown };
      if (typeof j.publicKey !== "string") return null;
      s = j.publicKey.trim();
    } catch {
      return null;
    }
  }
  try {
    let raw: Buffer;
    if (s.startsWith("-----BEGIN PUBLIC KEY-----")) {
      const der = createPublicKey(s).export({ format: "der", type: "spki" }) as Buffer;
      if (der.length !== SPKI_PREFIX.length + 32 || !der.subarray(0, SPKI_PREFIX.length).equals(SPKI_PREFIX)) return null;
      raw = der.subarray(SPKI_PREFIX.length);
    } else {
      if (!/^[A-Za-z0-9+/]{43}=$/.test(s)) return null;
      raw = Buffer.from(s, "base64");
    }
    const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: "der", type: "spki" });
    return { key, raw, keyId: keyIdOf(raw) };
  } catch {
    return null;
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * The canonical serialisation that is signed: JSON with object keys sorted by UTF-16 code units and
 * no whitespace (RFC 8785 for the values these documents hold: strings, integers, short decimals,
 * booleans, null). `indent` gives the same order with line breaks, which is how the file is written.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value as Json), null, indent);
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: { [k: string]: Json } = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = sortKeys(v[k]);
    return out;
  }
  if (typeof v === "number" && !Number.isFinite(v)) throw new Error("a record document holds finite numbers only");
  return v;
}

export function signBytes(pair: RecordKeyPair, message: string) {
  return sign(null, Buffer.from(message, "utf8"), pair.privateKey).toString("base64");
}

export function verifyBytes(key: KeyObject, message: string, signatureBase64: string) {
  if (!/^[A-Za-z0-9+/]{86}==$/.test(signatureBase64)) return false;
  try {
    return verify(null, Buffer.from(message, "utf8"), key, Buffer.from(signatureBase64, "base64"));
  } catch {
    return false;
  }
}
