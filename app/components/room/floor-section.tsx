import { useT } from "~/i18n/use-t";
import { mmss, secondsLeft, type RoomState } from "~/modules/matters/room/state";
import { Button, RoomForm, type Live } from "./room-form";

/** Who holds the floor and for how long, the queue of raised hands, and the hand to raise. */
export function FloorSection({ state, now, me, mod, panel, muted, ...f }: Live & { state: RoomState; now: number; me: number; mod: boolean; panel: boolean; muted: boolean }) {
  const t = useT();
  const open = state.status === "open";
  const turnLeft = state.floor ? secondsLeft(state.floor.turnStartedAt, state.floor.turnSeconds, now) : null;
  const myHand = state.hands.some((h) => h.userId === me);
  return (
    <section aria-labelledby="floor-title">
      <h2 id="floor-title">{t("room.floor")}</h2>
      <p id="floor" data-user={state.floor?.userId ?? ""}>
        {state.floor ? t("room.floorHolder", { name: state.floor.name, time: mmss(turnLeft ?? 0) }) : t("room.floorNone")}
      </p>
      {state.floor && open && (mod || state.floor.userId === me) ? (
        <div className="button-row">
          {mod ? (
            <RoomForm intent="extendTurn" {...f}>
              <input type="hidden" name="seconds" value="60" />
              <Button secondary>{t("room.extendTurn")}</Button>
            </RoomForm>
          ) : null}
          <RoomForm intent="endTurn" {...f}>
            <Button secondary>{t("room.endTurn")}</Button>
          </RoomForm>
        </div>
      ) : null}
      <h3>{t("room.queue")}</h3>
      {state.hands.length === 0 ? <p>{t("room.queueEmpty")}</p> : null}
      <ol id="queue">
        {state.hands.map((h) => (
          <li key={h.userId}>
            {h.name}
            {mod && open ? (
              <RoomForm intent="giveFloor" {...f} className="inline-form">
                <input type="hidden" name="userId" value={h.userId} />
                <Button>{t("room.giveFloor", { name: h.name })}</Button>
              </RoomForm>
            ) : null}
          </li>
        ))}
      </ol>
      {panel && open && !muted && state.floor?.userId !== me ? (
        <RoomForm intent={myHand ? "lowerHand" : "raiseHand"} {...f}>
          <Button secondary={myHand}>{myHand ? t("room.lowerHand") : t("room.raiseHand")}</Button>
        </RoomForm>
      ) : null}
    </section>
  );
}
