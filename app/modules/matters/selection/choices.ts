/** Plain lists the pages show and the schemas check, apart from the zod schemas so a page can use them without shipping zod. */
export const FIXED_SEAT_REASONS = ["proposer", "affected", "owners_committee", "property_company", "deputy", "expert", "other"] as const;
