import { describe, expect, it } from "vitest";
import { birthDateOf, checkCharacter, maskIdNumber, sexOf, validateIdNumber } from "./id-number";

/** Builds a valid number from 17 digits, so tests do not depend on anyone's real ID. */
const valid = (first17: string) => first17 + checkCharacter(first17);

describe("mainland ID numbers (GB 11643)", () => {
  it("accepts the standard's worked example and a number whose check character is X", () => {
    expect(validateIdNumber("11010519491231002X")).toEqual({ ok: true, id: "11010519491231002X" });
    expect(validateIdNumber("11010519491231002x")).toEqual({ ok: true, id: "11010519491231002X" });
    expect(validateIdNumber("440524188001010014")).toEqual({ ok: true, id: "440524188001010014" });
    expect(checkCharacter("11010519491231002")).toBe("X");
  });

  it("refuses a wrong check character, a wrong length and letters", () => {
    expect(validateIdNumber("110105194912310021")).toEqual({ ok: false, problem: "checksum" });
    expect(validateIdNumber("11010519491231002")).toEqual({ ok: false, problem: "format" });
    expect(validateIdNumber("1101051949123100211")).toEqual({ ok: false, problem: "format" });
    expect(validateIdNumber("1101051949123100AX")).toEqual({ ok: false, problem: "format" });
    expect(validateIdNumber("X10105194912310021")).toEqual({ ok: false, problem: "format" });
  });

  it("refuses an impossible or future birth date, and one that differs from the date entered", () => {
    expect(validateIdNumber(valid("11010519490230002"))).toEqual({ ok: false, problem: "birthDate" });
    expect(validateIdNumber(valid("11010519491331002"))).toEqual({ ok: false, problem: "birthDate" });
    expect(validateIdNumber(valid("11010520300101002"), { today: "2026-11-27" })).toEqual({ ok: false, problem: "birthDate" });
    expect(validateIdNumber(valid("11010520000229002")).ok).toBe(true); // 2000 was a leap year
    expect(validateIdNumber(valid("11010519000229002"))).toEqual({ ok: false, problem: "birthDate" }); // 1900 was not
    expect(validateIdNumber("11010519491231002X", { birthDate: "1949-12-31" }).ok).toBe(true);
    expect(validateIdNumber("11010519491231002X", { birthDate: "1949-12-30" })).toEqual({ ok: false, problem: "birthDate" });
  });

  it("reads the birth date and sex, and masks all but the first and last four", () => {
    expect(birthDateOf("11010519491231002X")).toBe("1949-12-31");
    expect(sexOf("11010519491231002X")).toBe("female");
    expect(sexOf(valid("11010519491231001"))).toBe("male");
    expect(maskIdNumber("11010519491231002X")).toBe("1101**********002X");
  });
});
