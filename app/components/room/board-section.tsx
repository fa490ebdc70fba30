import { useT } from "~/i18n/use-t";
import { rankBoard } from "~/modules/matters/room/board";
import type { StatementView } from "~/modules/matters/room/state";

/** The live board: widest agreement and most divisive. */
export function BoardSection({ statements }: { statements: StatementView[] }) {
  const t = useT();
  const board = rankBoard(statements);
  return (
    <section aria-labelledby="board-title">
      <h2 id="board-title">{t("room.board")}</h2>
      {board.agreed.length + board.divisive.length === 0 ? <p>{t("room.boardEmpty")}</p> : null}
      <BoardList id="board-agreed" title={t("room.boardAgreed")} items={board.agreed} />
      <BoardList id="board-divisive" title={t("room.boardDivisive")} items={board.divisive} />
    </section>
  );
}

/** One ranking of the board (widest agreement, most divisive), each entry linking to its statement. */
function BoardList({ id, title, items }: { id: string; title: string; items: { id: number; body: string; counts: { agree: number; disagree: number; pass: number } }[] }) {
  const t = useT();
  if (!items.length) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul id={id}>
        {items.map((s) => (
          <li key={s.id}>
            <a href={`#s-${s.id}`}>#{s.id}</a> {s.body} ({t("room.countsShort", { ...s.counts })})
          </li>
        ))}
      </ul>
    </>
  );
}
