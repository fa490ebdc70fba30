/**
 * Search across matters, comments, outcomes and volunteer activities, in the reader's scope:
 * substring matching (Chinese has no word boundaries) served by pg_trgm indexes
 * (db/migrations/0017_search.sql), ranked by trigram similarity, then newest first.
 */
import { sql, type SQL } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import type { Actor } from "../accounts/actor";
import { can } from "../accounts/permissions";
import type { CommandContext } from "../shared/context";
import { PUBLIC_STATES, type MatterState } from "../matters/states";
import type { SearchKind, SearchQuery } from "./schemas";

export const RESULTS_PER_PAGE = 20;
const STAFF = ["committee", "town_admin", "county_admin"];

export interface SearchHit {
  kind: SearchKind;
  id: number;
  /** where the result lives: the matter (for matters, comments, outcomes) or the activity */
  href: string;
  title: string;
  /** the words around the first match, cut into plain and matched parts (the page marks the matches) */
  snippet: { text: string; hit: boolean }[];
  state: MatterState | null;
  communityName: string;
  at: string;
}

/** `%`, `_` and `\` are themselves in a LIKE pattern. */
const likeOf = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Which matters a reader may read, as SQL over `m` (matters) and `a` (its community): the same rule
 * as `can(actor, "matter.view")` — public states to all; collecting, under review and withdrawn to
 * the proposer, the community's verified residents and staff over it; a draft to its proposer.
 * Every hit is asked of `can()` again before it is returned.
 */
function matterScope(actor: Actor | null): SQL {
  const publicStates = sql.join(
    PUBLIC_STATES.map((s) => sql`${s}`),
    sql`, `,
  );
  if (!actor) return sql`m.state::text in (${publicStates})`;
  const verified = actor.memberships.filter((m) => m.status === "verified").map((m) => m.communityId);
  const staffPaths = actor.roles.filter((r) => STAFF.includes(r.role)).map((r) => `${r.areaPath.replace(/[\\%_]/g, "")}%`);
  return sql`(m.state::text in (${publicStates})
    or (m.state = 'draft' and m.proposer_id = ${actor.id}::int)
    or (m.state in ('collecting', 'under_review', 'withdrawn') and (m.proposer_id = ${actor.id}::int
        or m.community_id = any(${`{${verified.join(",")}}`}::int[])
        or a.path like any(${`{${staffPaths.map((p) => `"${p}"`).join(",")}}`}::text[]))))`;
}

/** The words around the first match, about 80 characters, cut at each match. */
export function snippetOf(text: string, q: string): SearchHit["snippet"] {
  const flat = text.replace(/\s+/g, " ");
  const lower = flat.toLowerCase();
  const needle = q.toLowerCase();
  const first = lower.indexOf(needle);
  const start = Math.max(0, first - 30);
  const end = Math.min(flat.length, Math.max(first, 0) + needle.length + 50);
  const part = flat.slice(start, end);
  const out: SearchHit["snippet"] = [];
  if (start > 0) out.push({ text: "…", hit: false });
  let at = 0;
  const lowerPart = part.toLowerCase();
  for (let i = lowerPart.indexOf(needle); needle && i >= 0; i = lowerPart.indexOf(needle, at)) {
    if (i > at) out.push({ text: part.slice(at, i), hit: false });
    out.push({ text: part.slice(i, i + needle.length), hit: true });
    at = i + needle.length;
  }
  if (at < part.length) out.push({ text: part.slice(at), hit: false });
  if (end < flat.length) out.push({ text: "…", hit: false });
  return out;
}

interface Row {
  kind: SearchKind;
  id: number;
  matter_id: number | null;
  thread_id: number | null;
  title: string;
  body: string;
  state: MatterState | null;
  community_id: number;
  community_path: string;
  community_name: string;
  proposer_id: number | null;
  at: Date | string;
  score: number;
}

/** One page of results for the reader; an empty query finds nothing (it is not a listing). */
export async function searchEverything(ctx: CommandContext, q: SearchQuery) {
  if (q.q.length === 0) return { results: [] as SearchHit[], page: 1, more: false };
  const pattern = likeOf(q.q);
  const scope = matterScope(ctx.actor);
  const area = q.community
    ? sql`and a.path like (select path from areas where id = ${q.community}::int) || '%'`
    : sql``;
  const state = q.state ? sql`and m.state = ${q.state}::matter_state` : sql``;
  const range = (col: SQL) => sql`${q.from ? sql`and ${col} >= ${`${q.from}T00:00:00+08:00`}::timestamptz` : sql``} ${q.to ? sql`and ${col} < ${`${q.to}T00:00:00+08:00`}::timestamptz + interval '1 day'` : sql``}`;
  const want = (k: SearchKind) => !q.kind || q.kind === k;
  const branches: SQL[] = [];
  if (want("matter"))
    branches.push(sql`select 'matter'::text, m.id, m.id, null::int, m.title, m.title || ' ' || m.description, m.state::text, m.community_id, a.path, a.name, m.proposer_id, m.created_at,
      similarity(m.title || ' ' || m.description, ${q.q})
      from matters m join areas a on a.id = m.community_id
      where (m.title || ' ' || m.description) ilike ${pattern} and ${scope} ${area} ${state} ${range(sql`m.created_at`)}`);
  if (want("comment"))
    branches.push(sql`select 'comment'::text, c.id, m.id, c.thread_id, m.title, c.body, m.state::text, m.community_id, a.path, a.name, m.proposer_id, c.created_at, similarity(c.body, ${q.q})
      from comments c join matters m on m.id = c.matter_id join areas a on a.id = m.community_id
      where c.body ilike ${pattern} and c.status = 'visible' and ${scope} ${area} ${state} ${range(sql`c.created_at`)}`);
  if (want("outcome"))
    branches.push(sql`select 'outcome'::text, m.id, m.id, null::int, m.title, o.decision, m.state::text, m.community_id, a.path, a.name, m.proposer_id, o.recorded_at, similarity(o.decision, ${q.q})
      from outcomes o join matters m on m.id = o.matter_id join areas a on a.id = m.community_id
      where o.decision ilike ${pattern} and ${scope} ${area} ${state} ${range(sql`o.recorded_at`)}`);
  if (want("activity") && !q.state)
    branches.push(sql`select 'activity'::text, v.id, null::int, null::int, v.title, v.title || ' ' || v.content, null::text, t.area_id, a.path, a.name, null::int, v.starts_at, similarity(v.title || ' ' || v.content, ${q.q})
      from volunteer_activities v join volunteer_teams t on t.id = v.team_id join areas a on a.id = t.area_id
      where (v.title || ' ' || v.content) ilike ${pattern} and v.status = 'published' ${area} ${range(sql`v.starts_at`)}`);
  if (!branches.length) return { results: [], page: 1, more: false };
  const offset = (q.page - 1) * RESULTS_PER_PAGE;
  const rows = rowsOf<Row>(
    await ctx.db.execute(sql`select * from (${sql.join(branches.map((b) => sql`select * from (${b}) as b(kind, id, matter_id, thread_id, title, body, state, community_id, community_path, community_name, proposer_id, at, score)`), sql` union all `)}) r order by score desc, at desc, kind, id limit ${RESULTS_PER_PAGE + 1}::int offset ${offset}::int`),
  );
  const more = rows.length > RESULTS_PER_PAGE;
  const results = rows
    .slice(0, RESULTS_PER_PAGE)
    // the SQL scope is the fast path; can() is the rule, asked again of every matter-bound hit
    .filter(
      (r) =>
        r.kind === "activity" ||
        can(ctx.actor, "matter.view", { type: "matter", id: r.matter_id!, communityId: r.community_id, communityPath: r.community_path, proposerId: r.proposer_id!, state: r.state! }),
    )
    .map(
      (r): SearchHit => ({
        kind: r.kind,
        id: r.id,
        href: r.kind === "activity" ? `/activities/${r.id}` : r.kind === "comment" ? `/matters/${r.matter_id}/comments?thread=${r.thread_id ?? r.id}#comment-${r.id}` : `/matters/${r.matter_id}`,
        title: r.title,
        snippet: snippetOf(r.body, q.q),
        state: r.state,
        communityName: r.community_name,
        at: new Date(r.at).toISOString(),
      }),
    );
  return { results, page: q.page, more };
}
