import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useT } from "~/i18n/use-t";
import { getSocket } from "~/realtime/socket";

/**
 * New comments arrive live: the server says one was posted (by form or socket), and the reader
 * chooses when to show them, so a page being read does not jump. Without JavaScript the page is
 * simply current when loaded.
 */
export function LiveComments({ matterId }: { matterId: number }) {
  const t = useT();
  const revalidator = useRevalidator();
  const [fresh, setFresh] = useState(0);
  const seen = useRef(new Set<number>());
  useEffect(() => {
    let off = () => {};
    void getSocket().then((s) => {
      const watch = () => s.emit("comments:watch", matterId, () => {});
      const onNew = (m: { matterId: number; commentId: number }) => {
        if (m.matterId !== matterId || seen.current.has(m.commentId)) return;
        seen.current.add(m.commentId);
        setFresh((n) => n + 1);
      };
      watch();
      s.on("connect", watch);
      s.on("comments:new", onNew);
      off = () => {
        s.off("connect", watch);
        s.off("comments:new", onNew);
      };
    });
    return () => off();
  }, [matterId]);
  return (
    <div role="status" aria-live="polite" id="comments-live" data-fresh={fresh}>
      {fresh > 0 ? (
        <p className="notice">
          {t("comments.newArrived", { count: fresh })}{" "}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setFresh(0);
              revalidator.revalidate();
            }}
          >
            {t("comments.showNew")}
          </button>
        </p>
      ) : null}
    </div>
  );
}
