import { useT } from "~/i18n/use-t";
import { itemClock, mmss, type RoomState } from "~/modules/matters/room/state";
import { Button, RoomForm, type Live } from "./room-form";

/** The agenda with the current item's clock; the moderator moves between items. */
export function AgendaSection({ state, now, mod, ...f }: Live & { state: RoomState; now: number; mod: boolean }) {
  const t = useT();
  const clock = itemClock(state, now);
  return (
    <section aria-labelledby="agenda-title">
      <h2 id="agenda-title">{t("room.agenda")}</h2>
      {clock ? (
        <p className="room-clock" id="item-clock">
          <strong>{t("room.current")}:</strong> {clock.item.title} — {t("room.itemLeft", { time: mmss(clock.left ?? 0) })}
        </p>
      ) : null}
      <ol>
        {state.items.map((i) => (
          <li key={i.id} aria-current={i.id === state.currentItemId ? "step" : undefined}>
            {i.title} ({i.minutes} min)
          </li>
        ))}
      </ol>
      {mod && state.status === "open" ? (
        <div className="button-row">
          <RoomForm intent="prevItem" {...f}>
            <Button secondary>{t("room.prevItem")}</Button>
          </RoomForm>
          <RoomForm intent="extendItem" {...f}>
            <Button secondary>{t("room.extendItem")}</Button>
          </RoomForm>
          <RoomForm intent="nextItem" {...f}>
            <Button>{t("room.nextItem")}</Button>
          </RoomForm>
        </div>
      ) : null}
    </section>
  );
}
