/** Who may follow a matter's discussion live (the socket layer asks before joining its room). */
import type { Db } from "../../../../db/client";
import type { Actor } from "../../accounts/actor";
import { DomainError } from "../../shared/errors";
import { requireVisibleMatter } from "../transition.server";

/** Whoever may read the matter may watch its comments arrive; anyone else learns nothing, not even that it exists. */
export async function canWatchComments(db: Db, actor: Actor | null, matterId: number) {
  try {
    await requireVisibleMatter({ db, actor }, matterId);
    return true;
  } catch (e) {
    if (e instanceof DomainError) return false;
    throw e;
  }
}
