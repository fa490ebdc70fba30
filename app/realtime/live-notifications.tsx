import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { loadCatalogue } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { getSocket } from "./socket";

interface Pushed {
  unread: number;
  kind?: string;
  params?: Record<string, string | number>;
}

/** The header's notification link text, kept current by the user's socket room; announces arrivals politely. */
export function LiveNotifications({ initial, userId }: { initial: number; userId: number }) {
  const t = useT();
  const [unread, setUnread] = useState(initial);
  const [latest, setLatest] = useState<string>("");
  useEffect(() => setUnread(initial), [initial]);
  useEffect(() => {
    let off = () => {};
    void getSocket().then((s) => {
      const onNew = (n: Pushed) => {
        setUnread(n.unread);
        // the text is kept as words, so the catalogue must be there first (the page carries only its own messages)
        if (n.kind) void loadCatalogue(t.locale).then(() => setLatest(t("notifications.live", { text: t.msg(`${n.kind}|${JSON.stringify(n.params ?? {})}`) })));
      };
      const onRead = (n: Pushed) => setUnread(n.unread);
      s.on("notification", onNew);
      s.on("notifications:read", onRead);
      off = () => {
        s.off("notification", onNew);
        s.off("notifications:read", onRead);
      };
    });
    return () => off();
  }, [userId, t.locale]);
  return (
    <>
      <Link to="/notifications" id="nav-notifications" data-unread={unread}>
        {unread > 0 ? t("nav.notificationsUnread", { count: unread }) : t("nav.notifications")}
      </Link>
      <span className="live-toast" role="status" aria-live="polite">
        {latest}
      </span>
    </>
  );
}
