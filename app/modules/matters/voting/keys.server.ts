import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import type { Settings } from "../../shared/settings";

/**
 * A fixed key for tests only (a context without `settings.secrets`). It is in the
 * repository, so it protects nothing: the server refuses to start in production with it
 * (server/secrets.ts), and `npm start` generates a local key instead.
 */
export const DEVELOPMENT_BALLOT_KEY = "yishi-development-ballot-key (not for production)";

export interface BallotKeys {
  /** HMAC key: the receipt's keyed hash on the voter's participation row. */
  receiptMac: Buffer;
  /** AES-256-GCM key: a secret ballot sealed on the voter's participation row until the vote closes. */
  seal: Buffer;
}
let cached: { source: string; keys: BallotKeys } | undefined;

/**
 * Two keys derived (HKDF-SHA256) from BALLOT_KEY, which the server reads once at start and hands
 * in through the context's settings (server/secrets.ts refuses to start production without it).
 * Changing BALLOT_KEY while a secret vote is open makes its sealed ballots unreadable: the vote
 * cannot be closed until the old key is back.
 */
export function ballotKeys(settings: Pick<Settings, "secrets"> | undefined): BallotKeys {
  const source = settings?.secrets?.ballotKey || DEVELOPMENT_BALLOT_KEY;
  if (cached && cached.source === source) return cached.keys;
  const master = createHash("sha256").update(source).digest();
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), info, 32));
  const keys = { receiptMac: derive("yishi/ballot/receipt-hmac"), seal: derive("yishi/ballot/seal-aes-256-gcm") };
  cached = { source, keys };
  return keys;
}

/**
 * The receipt's keyed hash, kept on the voter's participation row: only the holder of a receipt
 * whose keyed hash is on their own row may change that ballot. Without the key, a database reader
 * cannot tell which published receipt hash (sha256 of the receipt) it belongs to.
 */
export function receiptMac(keys: BallotKeys, voteId: number, receipt: string) {
  return createHmac("sha256", keys.receiptMac).update(`${voteId}:${receipt}`).digest("base64url");
}

/**
 * A secret ballot while its vote is open: the receipt's hash and the choices as a bit set over the
 * vote's options, so every ballot of a vote seals to the same length whatever was chosen. Sealed
 * with AES-256-GCM (fresh IV) bound to the vote and the voter's row, so it cannot be moved to
 * another row. "v1.<iv>.<tag>.<ciphertext>" in base64url.
 */
export function sealBallot(keys: BallotKeys, at: { voteId: number; voterKey: string }, optionIds: string[], ballot: { receiptHash: string; choices: string[] }) {
  const bits = Buffer.alloc(Math.ceil(optionIds.length / 8));
  for (const c of ballot.choices) {
    const k = optionIds.indexOf(c);
    if (k < 0) throw new Error(`not an option of the vote: ${c}`);
    bits[k >> 3] |= 1 << (k & 7);
  }
  const plain = Buffer.concat([Buffer.from(ballot.receiptHash, "hex"), bits]);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keys.seal, iv);
  cipher.setAAD(Buffer.from(`${at.voteId}:${at.voterKey}`));
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

/** Opens a sealed ballot (throws if it was sealed for another row or under another key). */
export function unsealBallot(keys: BallotKeys, at: { voteId: number; voterKey: string }, optionIds: string[], sealed: string) {
  const [v, iv, tag, ct] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || !ct) throw new Error("unknown sealed ballot format");
  const decipher = createDecipheriv("aes-256-gcm", keys.seal, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(`${at.voteId}:${at.voterKey}`));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  const plain = Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]);
  const receiptHash = plain.subarray(0, 32).toString("hex");
  const bits = plain.subarray(32);
  const choices = optionIds.filter((_, k) => (bits[k >> 3] ?? 0) & (1 << (k & 7))).sort();
  return { receiptHash, choices };
}
