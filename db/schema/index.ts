export * from "./accounts";
export * from "./communities";
export * from "./ledger";
export * from "./notifications";
export * from "./matters";
export * from "./voting";
export * from "./outcomes";
export * from "./selection";
