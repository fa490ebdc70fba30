import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "selection-cli-"));
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "server/cli/selection-solve.ts", ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });

const pool = file("pool.csv", "id,household,gender,building\na,h1,f,A\nb,h1,m,A\nc,h2,f,B\nd,h3,m,B\ne,h4,f,C\nf,h5,m,C\ng,,m,A\n");

describe("npm run selection:solve", () => {
  // each case starts node with tsx (a second or two alone; far more on a loaded 2-core CI, where
  // 30 s timed out): the spawn's own limit is 60 s, so a case gets room for its spawns
  it("prints each id's probability, the minimum and its certificate", { timeout: 90_000 }, () => {
    const quotas = file("quotas.csv", "category,value,min,max\ngender,f,1,2\ngender,m,1,2\nbuilding,C,1,1\n");
    const r = run("--pool", pool, "--quotas", quotas, "--k", "3", "--household", "--time-limit", "20");
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { probabilities: Record<string, number>; min: number; dualBound: number; optimal: boolean; excluded: unknown[] };
    expect(Object.keys(out.probabilities).sort()).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
    expect(out.optimal).toBe(true);
    expect(out.min).toBeCloseTo(0.4, 9);
    expect(out.dualBound).toBeCloseTo(0.4, 9);
    expect(Object.values(out.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(3, 9);
  });

  it("names the file, row and column of a malformed file and exits with 2", { timeout: 150_000 }, () => {
    const quotas = file("bad.csv", "category,value,min,max\ngender,f,1,2\ngender,m,x,2\n");
    const r = run("--pool", pool, "--quotas", quotas, "--k", "3");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${quotas}: row 3, column C (min): "x" is not a number`);
    const badPool = file("badpool.csv", "id,gender\na,f\na,m\n");
    const r2 = run("--pool", badPool, "--quotas", quotas, "--k", "1");
    expect(r2.status).toBe(2);
    expect(r2.stderr).toContain("row 3, column A (id): the id a is already on row 2");
  });

  it("explains infeasible quotas with the nearest relaxation and exits with 2", { timeout: 90_000 }, () => {
    const quotas = file("inf.csv", "category,value,min,max\ngender,f,3,3\n");
    const r = run("--pool", pool, "--quotas", quotas, "--k", "2");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("category_mins_exceed_k");
    expect(JSON.parse(r.stdout)).toMatchObject({ feasible: false, relaxation: [{ category: "gender", value: "f", min: 2, max: 3 }] });
  });
});
