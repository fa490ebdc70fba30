import { errorsOf, IntentField, type Reply } from "~/components/simple-form";
import { useT } from "~/i18n/use-t";
import type { RoomState } from "~/modules/matters/room/state";
import { Button, RoomForm, type Live } from "./room-form";

/** Written questions: the moderator surfaces them; others in the room ask. */
export function QuestionsSection({ state, mod, muted, reply, ...f }: Live & { state: RoomState; mod: boolean; muted: boolean; reply: Reply }) {
  const t = useT();
  const open = state.status === "open";
  return (
    <section aria-labelledby="questions-title">
      <h2 id="questions-title">{t("room.questions")}</h2>
      <ul id="questions">
        {state.questions.map((q) => (
          <li key={q.id}>
            {q.body} {q.authorName ? `— ${q.authorName}` : ""} {q.surfaced ? <span className="tag">{t("room.surfaced")}</span> : null}
            {mod && open && !q.surfaced ? (
              <RoomForm intent="surface" {...f} className="inline-form">
                <input type="hidden" name="questionId" value={q.id} />
                <Button secondary>{t("room.surface")}</Button>
              </RoomForm>
            ) : null}
          </li>
        ))}
      </ul>
      {open && !mod && !muted ? (
        <RoomForm intent="ask" {...f} label={t("room.ask")}>
          <IntentField intent="ask" name="body" label="room.askBody" errors={errorsOf(reply, "ask")} textarea />
          <Button>{t("room.askSend")}</Button>
        </RoomForm>
      ) : null}
    </section>
  );
}
