import { describe, expect, it } from "vitest";
import { decryptIdNumber, DEVELOPMENT_VOLUNTEER_KEY, encryptIdNumber, idNumberHmac, keysFromSecret, volunteerKeys } from "./keys.server";

const ID = "11010519491231002X";
/** What a test gets: no settings, so the development key. */
const K = volunteerKeys(undefined);

describe("ID number at rest", () => {
  it("is encrypted with a fresh IV each time, decrypts back, and its HMAC finds duplicates", () => {
    const a = encryptIdNumber(ID, K);
    const b = encryptIdNumber(ID, K);
    expect(a).not.toBe(b);
    expect(a).not.toContain(ID);
    expect(a).not.toContain("19491231");
    expect(decryptIdNumber(a, K)).toBe(ID);
    expect(idNumberHmac(ID, K)).toBe(idNumberHmac(ID, K));
    expect(idNumberHmac(ID, K)).not.toBe(idNumberHmac("110105194912310010", K));
  });

  it("a tampered cipher text does not decrypt", () => {
    const a = encryptIdNumber(ID, K).split(".");
    const ct = Buffer.from(a[3], "base64url");
    ct[0] ^= 1;
    expect(() => decryptIdNumber([a[0], a[1], a[2], ct.toString("base64url")].join("."), K)).toThrow();
  });

  it("another key gives other hashes and cannot read old cipher text", () => {
    const before = idNumberHmac(ID, K);
    const stored = encryptIdNumber(ID, K);
    const other = volunteerKeys({ secrets: { volunteerIdKey: "another key entirely", ballotKey: "" } });
    expect(idNumberHmac(ID, other)).not.toBe(before);
    expect(() => decryptIdNumber(stored, other)).toThrow();
  });

  it("the key comes from the settings the server checked at start; without them, the development key", () => {
    expect(volunteerKeys({ secrets: { volunteerIdKey: "k".repeat(44), ballotKey: "" } })).toEqual(keysFromSecret("k".repeat(44)));
    expect(volunteerKeys({})).toEqual(keysFromSecret(DEVELOPMENT_VOLUNTEER_KEY));
  });
});
