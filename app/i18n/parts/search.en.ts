import type { searchZhCN } from "./search.zh-CN";

/** Search. */
export const searchEn: Record<keyof typeof searchZhCN, string> = {
  "search.title": "Search",
  "search.query": "Search for",
  "search.queryHint": "Words in matters, comments, outcomes and volunteer activities, for example “water”",
  "search.kind": "Type",
  "search.kind.all": "Everything",
  "search.kind.matter": "Matters",
  "search.kind.comment": "Comments",
  "search.kind.outcome": "Outcomes",
  "search.kind.activity": "Volunteer activities",
  "search.community": "Area number",
  "search.state": "Matter state",
  "search.stateAll": "Any state",
  "search.from": "From (Beijing date)",
  "search.to": "To (Beijing date)",
  "search.submit": "Search",
  "search.none": "Nothing found for “{q}”.",
  "search.results": "Results for “{q}”",
  "search.more": "More results",
  "search.in": "{community} · {time}",
};
