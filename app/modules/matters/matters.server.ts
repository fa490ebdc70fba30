/**
 * Temporary bridge (issue 16): the matter core now lives in catalogue, proposals, review, cosign,
 * queries and transition .server.ts. Voting (voting.server.ts, the votes.new route) and the room
 * (room.server.ts, minutes.server.ts) still import this path while they are restructured; new code
 * imports the files themselves. Remove once they do.
 */
export { createCategory, listCategories } from "./catalogue.server";
export { cosignMatter, setFollow, withdrawCosign } from "./cosign.server";
export { createDraft, updateDraft } from "./proposals.server";
export { getMatterPage, listMatters, listMyDrafts, maskName, PAGE_SIZE } from "./queries.server";
export { publishMaterials, runMatterCommand } from "./review.server";
export { checkMatterMove, getMatterFacts, matterResource, moveMatter, recordMatterEvent, requireVisibleMatter, thresholdFor } from "./transition.server";
