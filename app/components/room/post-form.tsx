import { errorsOf, IntentField, type Reply } from "~/components/simple-form";
import { useT } from "~/i18n/use-t";
import { STANCES } from "~/modules/matters/room/choices";
import { Button, RoomForm, type Live } from "./room-form";

/** A statement with its stance; the moderator may record the words of someone in the hall. */
export function PostForm({ reply, mod, send, live }: Live & { reply: Reply; mod: boolean }) {
  const t = useT();
  const errs = errorsOf(reply, "post");
  const stanceErr = errs.stance?.[0];
  return (
    <section aria-labelledby="post-title">
      <h2 id="post-title">{t("room.post")}</h2>
      <RoomForm intent="post" send={send} live={live}>
        <fieldset className={`radios${stanceErr ? " field--error" : ""}`} aria-describedby={stanceErr ? "post-stance-error" : undefined}>
          <legend>{t("room.stanceLabel")}</legend>
          {stanceErr ? (
            <p className="field-error" id="post-stance-error">
              {t.msg(stanceErr)}
            </p>
          ) : null}
          {STANCES.map((s, i) => (
            <label key={s}>
              <input type="radio" name="stance" value={s} id={i === 0 ? "post-stance" : undefined} defaultChecked={s === "neutral"} /> {t(`room.stance.${s}`)}
            </label>
          ))}
        </fieldset>
        <IntentField intent="post" name="body" label="room.body" hint="room.bodyHint" errors={errs} textarea />
        <IntentField intent="post" name="replyTo" label="room.replyTo" errors={errs} required={false} type="number" />
        {mod ? <IntentField intent="post" name="speaker" label="room.speaker" hint="room.speakerHint" errors={errs} required={false} /> : null}
        <Button>{t("room.send")}</Button>
      </RoomForm>
    </section>
  );
}
