import { afterEach, describe, expect, it, vi } from "vitest";
import { decryptIdNumber, encryptIdNumber, idNumberHmac, volunteerKeys } from "./keys.server";

const ID = "11010519491231002X";
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("ID number at rest", () => {
  it("is encrypted with a fresh IV each time, decrypts back, and its HMAC finds duplicates", () => {
    const a = encryptIdNumber(ID);
    const b = encryptIdNumber(ID);
    expect(a).not.toBe(b);
    expect(a).not.toContain(ID);
    expect(a).not.toContain("19491231");
    expect(decryptIdNumber(a)).toBe(ID);
    expect(idNumberHmac(ID)).toBe(idNumberHmac(ID));
    expect(idNumberHmac(ID)).not.toBe(idNumberHmac("110105194912310010"));
  });

  it("a tampered cipher text does not decrypt", () => {
    const a = encryptIdNumber(ID).split(".");
    const ct = Buffer.from(a[3], "base64url");
    ct[0] ^= 1;
    expect(() => decryptIdNumber([a[0], a[1], a[2], ct.toString("base64url")].join("."))).toThrow();
  });

  it("another key gives other hashes and cannot read old cipher text", () => {
    const before = idNumberHmac(ID);
    const stored = encryptIdNumber(ID);
    vi.stubEnv("VOLUNTEER_ID_KEY", "another key entirely");
    expect(idNumberHmac(ID)).not.toBe(before);
    expect(() => decryptIdNumber(stored)).toThrow();
  });

  it("production without a key refuses instead of falling back to the key in the repository", () => {
    expect(() => volunteerKeys({ NODE_ENV: "production" })).toThrow(/VOLUNTEER_ID_KEY.*openssl rand -base64 32/);
    expect(() => volunteerKeys({ NODE_ENV: "production", VOLUNTEER_ID_KEY: "" })).toThrow(/VOLUNTEER_ID_KEY/);
    expect(() => volunteerKeys({ NODE_ENV: "production", VOLUNTEER_ID_KEY: "k".repeat(44) })).not.toThrow();
  });
});
