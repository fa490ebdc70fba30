import type { SerializeFrom, TypedResponse } from "@remix-run/node";
import type { SelectionPage } from "~/modules/matters/selection/view.server";

// the loader answers with json(): dates arrive as strings
type PageView = SerializeFrom<() => TypedResponse<SelectionPage>>;
/** The selection page as the loader sends it (dates as strings); the matter travels beside it. */
export type SelectionView = Omit<PageView, "matter">;
export type MatterView = PageView["matter"];
export type PlanView = NonNullable<SelectionView["plan"]>;
export type ReportView = NonNullable<SelectionView["report"]>;

/** A probability as a percentage with two decimals; a dash when there is none. */
export const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(2)}%`);
