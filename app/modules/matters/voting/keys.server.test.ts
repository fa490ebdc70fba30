import { describe, expect, it } from "vitest";
import { ballotKeys, receiptMac, sealBallot, unsealBallot } from "./keys.server";

const OPTIONS = ["o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9"];
const HASH = "ab".repeat(32);
const AT = { voteId: 7, voterKey: "u:12" };
/** What a test gets: no settings, so the development key. */
const K = ballotKeys(undefined);

describe("a secret ballot sealed while its vote is open", () => {
  it("opens back to its receipt hash and choices; every choice seals to the same length, with a fresh IV", () => {
    const one = sealBallot(K, AT, OPTIONS, { receiptHash: HASH, choices: ["o2"] });
    const all = sealBallot(K, AT, OPTIONS, { receiptHash: HASH, choices: OPTIONS });
    expect(one.length).toBe(all.length);
    expect(sealBallot(K, AT, OPTIONS, { receiptHash: HASH, choices: ["o2"] })).not.toBe(one);
    expect(one).not.toContain(HASH);
    expect(unsealBallot(K, AT, OPTIONS, one)).toEqual({ receiptHash: HASH, choices: ["o2"] });
    expect(unsealBallot(K, AT, OPTIONS, all).choices).toEqual([...OPTIONS].sort());
  });

  it("cannot be moved to another voter's row or another vote, nor opened under another BALLOT_KEY", () => {
    const sealed = sealBallot(K, AT, OPTIONS, { receiptHash: HASH, choices: ["o1"] });
    expect(() => unsealBallot(K, { ...AT, voterKey: "u:13" }, OPTIONS, sealed)).toThrow();
    expect(() => unsealBallot(K, { ...AT, voteId: 8 }, OPTIONS, sealed)).toThrow();
    const mac = receiptMac(K, 7, "ABCDEFGHJKLMNPQ");
    const other = ballotKeys({ secrets: { ballotKey: "another key entirely", volunteerIdKey: "" } });
    expect(() => unsealBallot(other, AT, OPTIONS, sealed)).toThrow();
    expect(receiptMac(other, 7, "ABCDEFGHJKLMNPQ")).not.toBe(mac);
  });

  it("a receipt's keyed hash depends on the vote and the receipt", () => {
    expect(receiptMac(K, 7, "ABCDEFGHJKLMNPQ")).toBe(receiptMac(K, 7, "ABCDEFGHJKLMNPQ"));
    expect(receiptMac(K, 8, "ABCDEFGHJKLMNPQ")).not.toBe(receiptMac(K, 7, "ABCDEFGHJKLMNPQ"));
    expect(receiptMac(K, 7, "ABCDEFGHJKLMNPR")).not.toBe(receiptMac(K, 7, "ABCDEFGHJKLMNPQ"));
  });
});
