import { Link } from "@remix-run/react";
import { useT } from "~/i18n/use-t";

/** The matter page's list of room sessions, with the committee's link to schedule one. */
export function RoomSessions({
  matterId,
  sessions,
  canSchedule,
}: {
  matterId: number;
  sessions: { id: number; scheduledAt: string; status: "scheduled" | "open" | "closed"; place: string | null; canEnter: boolean }[];
  canSchedule: boolean;
}) {
  const t = useT();
  if (!sessions.length && !canSchedule) return null;
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t("room.sessions")}</h2>
      {sessions.length === 0 ? <p>{t("room.noSessions")}</p> : null}
      <ul className="card-list">
        {sessions.map((s) => (
          <li key={s.id}>
            {s.canEnter ? (
              <Link to={`/rooms/${s.id}`}>
                {t("room.enter")}: {t.time(s.scheduledAt)}
                {s.place ? ` · ${s.place}` : ""}
              </Link>
            ) : (
              <span>
                {t.time(s.scheduledAt)}
                {s.place ? ` · ${s.place}` : ""}
              </span>
            )}{" "}
            <span className="tag">{t(`room.status.${s.status}`)}</span>
            {s.status === "closed" && s.canEnter ? (
              <>
                {" "}
                <Link to={`/rooms/${s.id}/minutes`}>{t("room.minutes")}</Link>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {canSchedule ? (
        <p>
          <Link className="button" to={`/matters/${matterId}/sessions/new`}>
            {t("room.schedule")}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
