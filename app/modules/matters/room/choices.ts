/** Plain lists the pages show and the schemas check; kept apart from the zod schemas so a page can use them without zod. */
export const STANCES = ["support", "oppose", "neutral", "question"] as const;
export const REACTIONS = ["agree", "disagree", "pass"] as const;
export type Stance = (typeof STANCES)[number];
export type ReactionValue = (typeof REACTIONS)[number];
