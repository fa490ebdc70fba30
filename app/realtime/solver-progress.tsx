import { useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useT } from "~/i18n/use-t";
import { getSocket } from "./socket";

/**
 * While the committee's "compute" post is running, shows the solver's progress pushed to the
 * member's own socket room: the best minimum chance so far and the bound it cannot exceed.
 */
export function SolverProgress({ matterId }: { matterId: number }) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "compute";
  const [p, setP] = useState<{ iteration: number; min: number; dualBound: number } | null>(null);
  useEffect(() => {
    if (!busy) return;
    setP(null);
    let off = () => {};
    void getSocket().then((s) => {
      const on = (m: { matterId: number; iteration: number; min: number; dualBound: number }) => m.matterId === matterId && setP(m);
      s.on("selection:progress", on);
      off = () => s.off("selection:progress", on);
    });
    return () => off();
  }, [busy, matterId]);
  if (!busy) return null;
  return (
    <p role="status" aria-live="polite" className="notice">
      {p
        ? t("selection.progress", { iteration: p.iteration, min: (p.min * 100).toFixed(2), bound: (p.dualBound * 100).toFixed(2) })
        : t("selection.computing")}
    </p>
  );
}
