/**
 * Temporary bridge (issue 16): the selection commands now live one file per thing a person does
 * (plan, registration, draw, invitations) with the page in view.server.ts. Files owned by the web
 * adapters (server/app.ts, server/realtime, server/cli) still import from here; point them at the
 * new files and delete this one.
 */
export * from "./plan.server";
export * from "./registration.server";
export * from "./draw.server";
export * from "./invitations.server";
export * from "./view.server";
export type { SolverReport } from "./common.server";
