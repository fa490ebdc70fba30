/**
 * Loading HiGHS (WebAssembly) and building the panel MIP on its persistent model API.
 * Every model must be disposed (HiGHS memory is not garbage-collected). A WASM abort
 * (`RuntimeError: Aborted`) poisons the instance: callers reload with `freshHighs()`.
 */
import loadHighs, { type Highs, type Model } from "highs";
import type { CompiledModel } from "./model";

let loaded: Promise<Highs> | null = null;

export function getHighs(): Promise<Highs> {
  loaded ??= loadHighs();
  return loaded;
}

/** After an abort the module is unusable; the next getHighs() loads a new one (about 30 ms). */
export function freshHighs(): Promise<Highs> {
  loaded = null;
  return getHighs();
}

export const STATUS = { optimal: 7, infeasible: 8, timeLimit: 13 } as const;

/** Only the error's message: its stack holds the whole minified bundle. */
export function solverMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export interface PanelMip {
  model: Model;
  /** Column index of each group's variable (0..groups-1). */
  groupCols: number;
  /** Row of each quota. */
  quotaRows: number[];
}

/**
 * Variables x_g ∈ {0..cap_g} (integer), rows Σx = k, min_q ≤ Σ_{g∈q} x_g ≤ max_q, and for each
 * household type at most one seat per household (Σ_{g∈H} x_g ≤ c_H). The objective starts at zero; the caller sets costs and sense.
 */
export function buildPanelMip(
  h: Highs,
  cm: CompiledModel,
  opts: { household?: boolean; quotas?: boolean; upper?: number[] } = {},
): PanelMip {
  const model = h.createModel();
  try {
    model.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 1e-9 });
    const n = cm.groups.length;
    const upper = opts.upper ?? cm.groups.map((g) => g.cap);
    model.addVars(new Array(n).fill(0), upper);
    model.changeColsIntegrality({ kind: "range", from: 0, to: n - 1 }, new Array(n).fill(h.constants.variableType.integer));
    const all = Array.from({ length: n }, (_, i) => i);
    model.addRow(cm.input.k, cm.input.k, { indices: all, values: all.map(() => 1) });
    const quotaRows: number[] = [];
    if (opts.quotas !== false) {
      cm.quotas.forEach((q, i) => {
        quotaRows.push(1 + i);
        const gs = cm.quotaGroups[i];
        model.addRow(q.min, q.max, { indices: gs, values: gs.map(() => 1) });
      });
    }
    if (opts.household !== false) {
      for (const hh of cm.households) {
        const gs = [...hh.groups].sort((a, b) => a - b);
        model.addRow(-h.infinity, hh.capacity, { indices: gs, values: gs.map(() => 1) });
      }
    }
    return { model, groupCols: n, quotaRows };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Integer counts per group from a MIP solution. */
export function roundCounts(values: Float64Array, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Math.round(values[i]));
  return out;
}
