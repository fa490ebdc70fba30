import { useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useT } from "~/i18n/use-t";
import { getSocket } from "./socket";

/** Turnout that counts up live while the vote is open; when it closes, the page reloads its data to show the result. */
export function LiveTurnout({ voteId, initial, electorate, open }: { voteId: number; initial: number; electorate: number; open: boolean }) {
  const t = useT();
  const revalidator = useRevalidator();
  const [turnout, setTurnout] = useState(initial);
  useEffect(() => setTurnout(initial), [initial]);
  useEffect(() => {
    if (!open) return;
    let off = () => {};
    void getSocket().then((s) => {
      const watch = () => s.emit("vote:watch", voteId, (r: { ok: boolean; data?: { turnout: number } }) => r.ok && r.data && setTurnout(r.data.turnout));
      const onTurnout = (m: { voteId: number; turnout: number; closed: boolean }) => {
        if (m.voteId !== voteId) return;
        setTurnout(m.turnout);
        if (m.closed) revalidator.revalidate();
      };
      watch();
      s.on("connect", watch);
      s.on("vote:turnout", onTurnout);
      off = () => {
        s.off("connect", watch);
        s.off("vote:turnout", onTurnout);
      };
    });
    return () => off();
  }, [voteId, open]);
  return (
    <p aria-live="polite" id="turnout" data-turnout={turnout}>
      {t("voting.turnout", { turnout, electorate })}
    </p>
  );
}
