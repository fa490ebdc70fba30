import { errorsOf, IntentField, type Reply } from "~/components/simple-form";
import { useT } from "~/i18n/use-t";
import type { RoomState } from "~/modules/matters/room/state";
import { Button, RoomForm, type Live } from "./room-form";

/** In-person check-in: the moderator shows the code and checks people in; a panel member enters the code. */
export function AttendanceSection({
  state,
  mod,
  code,
  panel,
  reply,
  ...f
}: Live & { state: RoomState; mod: boolean; code: string | null; panel: { id: number; name: string }[]; reply: Reply }) {
  const t = useT();
  return (
    <section aria-labelledby="checkin-title">
      <h2 id="checkin-title">{t("room.checkin")}</h2>
      <p>
        {t("room.inPerson")}: {state.inPerson.map((p) => p.name).join("、") || "—"}
      </p>
      {mod ? (
        <>
          <p>
            <strong>{t("room.checkinCodeShow", { code: code ?? "" })}</strong>
          </p>
          <RoomForm intent="checkin" {...f}>
            <div className="field">
              <label htmlFor="checkin-userId">{t("room.checkinList")}</label>
              <select id="checkin-userId" name="userId" defaultValue="">
                <option value="">—</option>
                {panel.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            <IntentField intent="checkin" name="name" label="room.checkinName" errors={errorsOf(reply, "checkin")} required={false} />
            <Button>{t("room.checkinSend")}</Button>
          </RoomForm>
        </>
      ) : (
        <RoomForm intent="checkinCode" {...f}>
          <IntentField intent="checkinCode" name="code" label="room.checkinCode" hint="room.checkinCodeHint" errors={errorsOf(reply, "checkinCode")} type="text" />
          <Button>{t("room.checkinSend")}</Button>
        </RoomForm>
      )}
    </section>
  );
}

/** The moderator's list of muted participants, each with an unmute while the session is open. */
export function MutedSection({ state, ...f }: Live & { state: RoomState }) {
  const t = useT();
  return (
    <section aria-labelledby="muted-title">
      <h2 id="muted-title">{t("room.mutedList")}</h2>
      <ul>
        {state.muted.map((m) => (
          <li key={m.userId}>
            {m.name}
            {state.status === "open" ? (
              <RoomForm intent="unmute" {...f} className="inline-form">
                <input type="hidden" name="userId" value={m.userId} />
                <Button secondary>{t("room.unmute")}</Button>
              </RoomForm>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
