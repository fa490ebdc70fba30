import { describe, expect, it } from "vitest";
import { columnLetter, parsePoolCsv, parseQuotasCsv } from "./csv";
import { SelectionInputError } from "./types";

function fail(fn: () => unknown): SelectionInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SelectionInputError) return e;
    throw e;
  }
  throw new Error("expected a SelectionInputError");
}

describe("parsePoolCsv", () => {
  it("reads ids, households and attributes (BOM, spaces, any column order, household optional)", () => {
    const text = "\uFEFFbuilding, id ,Household,age\n3号楼, r1 ,h1,65+\n5号楼,r2,,18-34\n\n";
    expect(parsePoolCsv(text)).toEqual({
      attributes: ["building", "age"],
      people: [
        { id: "r1", household: "h1", attributes: { building: "3号楼", age: "65+" } },
        { id: "r2", household: null, attributes: { building: "5号楼", age: "18-34" } },
      ],
    });
    expect(parsePoolCsv("id,gender\na,f\n").people[0]).toEqual({ id: "a", household: null, attributes: { gender: "f" } });
  });

  it("names the row and column of each problem", () => {
    let e = fail(() => parsePoolCsv("name,gender\na,f\n"));
    expect([e.code, e.row, e.columnName]).toEqual(["missing_column", 1, "id"]);
    e = fail(() => parsePoolCsv("gender,id\nf,a\nm,\n"));
    expect([e.code, e.row, e.column]).toEqual(["empty_id", 3, 2]);
    expect(e.message).toContain("row 3, column B (id)");
    e = fail(() => parsePoolCsv("id,gender\na,f\nb,m\na,m\n"));
    expect([e.code, e.row, e.column]).toEqual(["duplicate_id", 4, 1]);
    expect(e.message).toContain("row 2");
    e = fail(() => parsePoolCsv("id,gender,age\na,f,\n"));
    expect([e.code, e.row, e.column, e.columnName]).toEqual(["empty_value", 2, 3, "age"]);
    e = fail(() => parsePoolCsv("id,gender\na,f,extra\n"));
    expect([e.code, e.row]).toEqual(["malformed_csv", 2]);
    e = fail(() => parsePoolCsv("id,gender,Gender\na,f,m\n"));
    expect([e.code, e.row, e.column]).toEqual(["duplicate_column", 1, 3]);
    e = fail(() => parsePoolCsv(""));
    expect(e.code).toBe("empty_file");
  });
});

describe("parseQuotasCsv", () => {
  it("reads quotas", () => {
    expect(parseQuotasCsv("category,value,min,max\ngender,f,2,3\nbuilding,3号楼,0,1\n")).toEqual([
      { category: "gender", value: "f", min: 2, max: 3 },
      { category: "building", value: "3号楼", min: 0, max: 1 },
    ]);
  });

  it("names the row and column of each problem", () => {
    let e = fail(() => parseQuotasCsv("category,value,min\ngender,f,1\n"));
    expect([e.code, e.columnName]).toEqual(["missing_column", "max"]);
    e = fail(() => parseQuotasCsv("category,value,min,max\ngender,f,3,2\n"));
    expect([e.code, e.row, e.column]).toEqual(["min_above_max", 2, 3]);
    e = fail(() => parseQuotasCsv("category,value,min,max\ngender,f,1,2\ngender,m,one,2\n"));
    expect([e.code, e.row, e.column, e.columnName]).toEqual(["not_a_number", 3, 3, "min"]);
    expect(e.message).toBe('row 3, column C (min): "one" is not a number');
    e = fail(() => parseQuotasCsv("category,value,min,max\ngender,f,1,2.5\n"));
    expect([e.code, e.row, e.column]).toEqual(["not_an_integer", 2, 4]);
    e = fail(() => parseQuotasCsv("category,value,min,max\ngender,f,-1,2\n"));
    expect([e.code, e.row, e.column]).toEqual(["negative", 2, 3]);
    e = fail(() => parseQuotasCsv("category,value,min,max\ngender,f,1,2\ngender,f,0,1\n"));
    expect([e.code, e.row]).toEqual(["duplicate_quota", 3]);
    e = fail(() => parseQuotasCsv("category,value,min,max\n,f,1,2\n"));
    expect([e.code, e.row, e.column]).toEqual(["empty_value", 2, 1]);
  });

  it("letters columns as spreadsheets do", () => {
    expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(["A", "Z", "AA", "AZ", "AAA"]);
  });
});
