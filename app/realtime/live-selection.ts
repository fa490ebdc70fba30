import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { getSocket } from "./socket";

/**
 * Keeps a selection page current: when registrations, the draw or the panel's answers change,
 * the server says so and the page reloads its data (at most twice a second).
 */
export function useLiveSelection(matterId: number) {
  const revalidator = useRevalidator();
  const ref = useRef(revalidator);
  ref.current = revalidator;
  useEffect(() => {
    let off = () => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    void getSocket().then((s) => {
      const watch = () => s.emit("selection:watch", matterId, () => {});
      const onChanged = (m: { matterId: number }) => {
        if (m.matterId !== matterId || timer) return;
        timer = setTimeout(() => {
          timer = undefined;
          if (ref.current.state === "idle") ref.current.revalidate();
        }, 500);
      };
      watch();
      s.on("connect", watch);
      s.on("selection:changed", onChanged);
      off = () => {
        s.off("connect", watch);
        s.off("selection:changed", onChanged);
        clearTimeout(timer);
      };
    });
    return () => off();
  }, [matterId]);
}
