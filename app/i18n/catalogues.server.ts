import { en } from "./en";
import { zhCN } from "./zh-CN";

/**
 * Both whole catalogues, for the server only: the browser build replaces this module with an empty
 * one (Remix's `.server` rule), so no page ships them. A page gets the messages its HTML used
 * (see messages.server.ts) and then its own language's catalogue as a separate chunk (load.client.ts).
 */
export const catalogues = { "zh-CN": zhCN, en };
