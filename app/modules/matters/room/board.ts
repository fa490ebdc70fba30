/**
 * The live board, Pol.is-like: which statements have the widest agreement and which divide the
 * room. Pure, so the server renders it and the browser recomputes it from the same counts.
 */
export interface Counts {
  agree: number;
  disagree: number;
  pass: number;
}

/** Agreement with a +1/+2 prior, so one lone "agree" does not beat twenty agrees and one pass. */
export function agreeRatio(c: Counts) {
  const n = c.agree + c.disagree + c.pass;
  return (c.agree + 1) / (n + 2);
}

/**
 * 1 when everyone took a side and the sides are even, 0 when all agree or all disagree; passes
 * dilute it (a room that mostly passes is not divided).
 */
export function divisiveness(c: Counts) {
  const sided = c.agree + c.disagree;
  if (sided === 0) return 0;
  const p = c.agree / sided;
  return 4 * p * (1 - p) * (sided / (c.agree + c.disagree + c.pass + 1));
}

export interface BoardEntry {
  id: number;
  counts: Counts;
  hidden?: boolean;
}

/** The top `size` by agreement and by division, among visible statements with at least `minVotes` marks. */
export function rankBoard<T extends BoardEntry>(statements: T[], size = 3, minVotes = 2) {
  const rated = statements.filter((s) => !s.hidden && s.counts.agree + s.counts.disagree + s.counts.pass >= minVotes);
  const agreed = rated
    .filter((s) => s.counts.agree > s.counts.disagree)
    .sort((a, b) => agreeRatio(b.counts) - agreeRatio(a.counts) || b.counts.agree - a.counts.agree || a.id - b.id)
    .slice(0, size);
  const divisive = rated
    .filter((s) => divisiveness(s.counts) > 0)
    .sort((a, b) => divisiveness(b.counts) - divisiveness(a.counts) || a.id - b.id)
    .slice(0, size);
  return { agreed, divisive };
}
