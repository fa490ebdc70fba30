import { useEffect, useRef, useState } from "react";
import { useT } from "~/i18n/use-t";

type State = "idle" | "speaking" | "paused";

const BLOCKS = "h1, h2, h3, h4, p, li, dt, dd, th, td, caption, figcaption, summary";

/**
 * The readable text of the page's main content, block by block: headings, paragraphs, list items,
 * table cells and chart captions; never forms, buttons or anything hidden.
 */
export function readableText(root: HTMLElement): string[] {
  const out: string[] = [];
  for (const el of Array.from(root.querySelectorAll<HTMLElement>(BLOCKS))) {
    if (el.closest("form, .read-aloud, [hidden], [aria-hidden='true'], .visually-hidden, .no-read")) continue;
    // a block holding other blocks is read through them
    if (el.querySelector(BLOCKS)) continue;
    const text = (el.textContent ?? "").replace(/\s+/g, " ").trim();
    if (text) out.push(text);
  }
  return out;
}

/** Long text split at sentence ends: some speech engines stop a single long utterance part-way. */
function chunks(blocks: string[]) {
  return blocks.flatMap((b) => b.split(/(?<=[。！？；.!?;])\s*/).filter((s) => s.trim()));
}

/**
 * 朗读: reads the page's main content with the browser's own speech synthesis (a zh-CN voice, or
 * English on an English page), with pause and resume. Rendered only after the page runs its script
 * and only where speech synthesis exists: without them there is no button that does nothing.
 */
export function ReadAloud({ target = "main" }: { target?: string }) {
  const t = useT();
  const [supported, setSupported] = useState(false);
  const [state, setState] = useState<State>("idle");
  const generation = useRef(0);
  // the labels are looked up while rendering on the server too, so the page carries them for the browser
  const labels = { start: t("readAloud.start"), pause: t("readAloud.pause"), resume: t("readAloud.resume"), stop: t("readAloud.stop"), label: t("readAloud.label") };

  useEffect(() => {
    setSupported(typeof window !== "undefined" && "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function");
    return () => {
      if (typeof window !== "undefined" && "speechSynthesis" in window) window.speechSynthesis.cancel();
    };
  }, []);

  if (!supported) return null;

  const start = () => {
    const root = document.querySelector<HTMLElement>(target);
    if (!root) return;
    const synth = window.speechSynthesis;
    synth.cancel();
    const run = ++generation.current;
    const lang = t.locale === "en" ? "en-US" : "zh-CN";
    const voice = synth.getVoices().find((v) => v.lang.replace("_", "-").toLowerCase().startsWith(t.locale === "en" ? "en" : "zh-cn")) ?? null;
    const parts = chunks(readableText(root));
    if (!parts.length) return;
    parts.forEach((text, i) => {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = lang;
      if (voice) u.voice = voice;
      u.rate = 0.9;
      if (i === parts.length - 1) u.onend = () => run === generation.current && setState("idle");
      u.onerror = () => run === generation.current && setState("idle");
      synth.speak(u);
    });
    setState("speaking");
  };
  const pause = () => {
    window.speechSynthesis.pause();
    setState("paused");
  };
  const resume = () => {
    window.speechSynthesis.resume();
    setState("speaking");
  };
  const stop = () => {
    generation.current++;
    window.speechSynthesis.cancel();
    setState("idle");
  };

  return (
    <div className="read-aloud no-print" role="group" aria-label={labels.label}>
      {state === "idle" ? (
        <button type="button" className="secondary" onClick={start}>
          {labels.start}
        </button>
      ) : (
        <>
          {state === "speaking" ? (
            <button type="button" className="secondary" onClick={pause}>
              {labels.pause}
            </button>
          ) : (
            <button type="button" className="secondary" onClick={resume}>
              {labels.resume}
            </button>
          )}
          <button type="button" className="secondary" onClick={stop}>
            {labels.stop}
          </button>
        </>
      )}
    </div>
  );
}
