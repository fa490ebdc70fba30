import { describe, expect, it } from "vitest";
import { parseMsg } from "../../shared/validation";
import { PlanSchema } from "./plan-schema.server";

const base = { panelSize: "5", onePerHousehold: "on", registrationDeadline: "2030-01-01 08:00", responseDays: "3" };
const errorsOf = (r: ReturnType<typeof PlanSchema.safeParse>) => (r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${parseMsg(i.message).key} ${JSON.stringify(parseMsg(i.message).params)}`));

describe("the plan's quotas", () => {
  it("come from the form's rows (类别, 选项, 最少, 最多), blank rows skipped", () => {
    const r = PlanSchema.parse({
      ...base,
      quotaRows: [
        { category: "性别", value: "女", min: "2", max: "3" },
        { category: "", value: "", min: "", max: "" },
        { category: "楼栋", value: "3号楼, 东", min: "0", max: "1" },
      ],
    });
    expect(r.quotas).toEqual([
      { category: "性别", value: "女", min: 2, max: 3 },
      { category: "楼栋", value: "3号楼, 东", min: 0, max: 1 },
    ]);
    expect(r.attributes.map((a) => a.label)).toEqual(["性别", "楼栋"]);
  });

  it("or from a paste out of a spreadsheet (tabs, with or without the Chinese header), which wins over the rows", () => {
    const r = PlanSchema.parse({ ...base, quotas: "类别\t选项\t最少\t最多\n性别\t男\t1\t2\n年龄\t60岁以上\t1\t3\n", quotaRows: [{ category: "x", value: "y", min: "0", max: "1" }] });
    expect(r.quotas).toEqual([
      { category: "性别", value: "男", min: 1, max: 2 },
      { category: "年龄", value: "60岁以上", min: 1, max: 3 },
    ]);
    expect(PlanSchema.parse({ ...base, quotas: "category,value,min,max\n性别,男,0,2" }).quotas).toEqual([{ category: "性别", value: "男", min: 0, max: 2 }]);
  });

  it("name a bad row by its number, and refuse none at all", () => {
    expect(errorsOf(PlanSchema.safeParse({ ...base, quotaRows: [{ category: "性别", value: "男", min: "0", max: "2" }, { category: "性别", value: "女", min: "3", max: "1" }] }))).toEqual([
      'quotas: selection.errors.quotaLine {"row":2}',
    ]);
    expect(errorsOf(PlanSchema.safeParse({ ...base, quotaRows: [{ category: "", value: "", min: "", max: "" }] }))).toEqual(["quotas: errors.required {}"]);
  });
});
