import { useLocation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useT } from "~/i18n/use-t";

/**
 * Reads QR codes from the device's camera into a form's text field and submits the form: a
 * progressive enhancement of a page whose typed (or USB scanner) entry works without it. Shown
 * only where a script runs and the browser offers getUserMedia; the decoder (jsQR, ~130 KB) is
 * loaded only when the camera is turned on, so no other page and no visit without the camera
 * pays for it. Frames go from a detached <video> into a canvas (at most 640 px wide), which is
 * also the visible preview. The same text in the same direction is sent once while the camera is on.
 */
export function CameraScanner({ inputId, directionName = "direction" }: { inputId: string; directionName?: string }) {
  const t = useT();
  const [supported, setSupported] = useState(false);
  const [state, setState] = useState<"off" | "starting" | "on" | "failed" | "read">("off");
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const stopRef = useRef<(() => void) | null>(null);

  useEffect(() => {
    setSupported(typeof navigator !== "undefined" && !!navigator.mediaDevices?.getUserMedia);
    return () => stopRef.current?.();
  }, []);

  // once the page has answered the submitted scan, the camera goes on reading
  const location = useLocation();
  useEffect(() => {
    setState((s) => (s === "read" ? "on" : s));
  }, [location.key]);

  if (!supported) return null;

  async function start() {
    setState("starting");
    let stream: MediaStream | null = null;
    try {
      const [s, mod] = await Promise.all([navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }), import("jsqr")]);
      stream = s;
      const jsQR = mod.default;
      const video = document.createElement("video");
      video.muted = true;
      video.playsInline = true;
      video.srcObject = stream;
      await video.play();
      const canvas = canvasRef.current!;
      const c2d = canvas.getContext("2d", { willReadFrequently: true })!;
      const sent = new Set<string>();
      let timer = 0;
      let stopped = false;
      const stop = () => {
        stopped = true;
        window.clearTimeout(timer);
        stream?.getTracks().forEach((track) => track.stop());
        video.srcObject = null;
        stopRef.current = null;
      };
      stopRef.current = stop;
      setState("on");
      const tick = () => {
        if (stopped) return;
        if (video.readyState >= 2 && video.videoWidth) {
          const scale = Math.min(1, 640 / video.videoWidth);
          const w = Math.round(video.videoWidth * scale);
          const h = Math.round(video.videoHeight * scale);
          if (canvas.width !== w) canvas.width = w;
          if (canvas.height !== h) canvas.height = h;
          c2d.drawImage(video, 0, 0, w, h);
          const frame = c2d.getImageData(0, 0, w, h);
          const found = jsQR(frame.data, w, h, { inversionAttempts: "attemptBoth" });
          const input = document.getElementById(inputId) as HTMLInputElement | null;
          const form = input?.form;
          if (found?.data && input && form) {
            const direction = (form.elements.namedItem(directionName) as RadioNodeList | null)?.value ?? "";
            const key = `${direction}|${found.data}`;
            if (!sent.has(key)) {
              sent.add(key);
              input.value = found.data.slice(0, 120);
              setState("read");
              form.requestSubmit();
            }
          }
        }
        timer = window.setTimeout(tick, 200);
      };
      tick();
    } catch {
      stream?.getTracks().forEach((track) => track.stop());
      setState("failed");
    }
  }

  const on = state === "on" || state === "read";
  return (
    <section aria-labelledby="camera-title" className="camera-scanner">
      <h2 id="camera-title">{t("volunteers.scan.camera")}</h2>
      <p className="hint">{t("volunteers.scan.cameraHint")}</p>
      {state === "failed" ? (
        <p className="notice" role="alert">
          {t("volunteers.scan.cameraUnavailable")}
        </p>
      ) : null}
      <canvas ref={canvasRef} role="img" aria-label={t("volunteers.scan.cameraVideo")} hidden={!on} style={{ maxWidth: "100%", height: "auto" }} />
      {state === "read" ? <p role="status">{t("volunteers.scan.cameraRead")}</p> : null}
      <p>
        {on ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              stopRef.current?.();
              setState("off");
            }}
          >
            {t("volunteers.scan.cameraStop")}
          </button>
        ) : (
          <button type="button" onClick={start} disabled={state === "starting"}>
            {t("volunteers.scan.cameraStart")}
          </button>
        )}
      </p>
    </section>
  );
}
