import { afterEach, describe, expect, it, vi } from "vitest";
import { receiptMac, sealBallot, unsealBallot } from "./keys.server";

const OPTIONS = ["o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9"];
const HASH = "ab".repeat(32);
const AT = { voteId: 7, voterKey: "u:12" };
afterEach(() => vi.unstubAllEnvs());

describe("a secret ballot sealed while its vote is open", () => {
  it("opens back to its receipt hash and choices; every choice seals to the same length, with a fresh IV", () => {
    const one = sealBallot(AT, OPTIONS, { receiptHash: HASH, choices: ["o2"] });
    const all = sealBallot(AT, OPTIONS, { receiptHash: HASH, choices: OPTIONS });
    expect(one.length).toBe(all.length);
    expect(sealBallot(AT, OPTIONS, { receiptHash: HASH, choices: ["o2"] })).not.toBe(one);
    expect(one).not.toContain(HASH);
    expect(unsealBallot(AT, OPTIONS, one)).toEqual({ receiptHash: HASH, choices: ["o2"] });
    expect(unsealBallot(AT, OPTIONS, all).choices).toEqual([...OPTIONS].sort());
  });

  it("cannot be moved to another voter's row or another vote, nor opened under another BALLOT_KEY", () => {
    const sealed = sealBallot(AT, OPTIONS, { receiptHash: HASH, choices: ["o1"] });
    expect(() => unsealBallot({ ...AT, voterKey: "u:13" }, OPTIONS, sealed)).toThrow();
    expect(() => unsealBallot({ ...AT, voteId: 8 }, OPTIONS, sealed)).toThrow();
    const mac = receiptMac(7, "ABCDEFGHJKLMNPQ");
    vi.stubEnv("BALLOT_KEY", "another key entirely");
    expect(() => unsealBallot(AT, OPTIONS, sealed)).toThrow();
    expect(receiptMac(7, "ABCDEFGHJKLMNPQ")).not.toBe(mac);
  });

  it("a receipt's keyed hash depends on the vote and the receipt", () => {
    expect(receiptMac(7, "ABCDEFGHJKLMNPQ")).toBe(receiptMac(7, "ABCDEFGHJKLMNPQ"));
    expect(receiptMac(8, "ABCDEFGHJKLMNPQ")).not.toBe(receiptMac(7, "ABCDEFGHJKLMNPQ"));
    expect(receiptMac(7, "ABCDEFGHJKLMNPR")).not.toBe(receiptMac(7, "ABCDEFGHJKLMNPQ"));
  });
});
