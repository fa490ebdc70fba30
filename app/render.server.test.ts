import { createElement as h } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { renderDocument } from "./render.server";

/** A page long enough to cross the renderers' byte buffers many times, full of Chinese names. */
const page = () =>
  h(
    "html",
    { lang: "zh-CN" },
    h(
      "body",
      null,
      Array.from({ length: 400 }, (_, i) => h("p", { key: i, "aria-label": `居民${"王阿姨李大爷".repeat(i % 7)}${i}` }, `${"x".repeat(i % 5)}幸福里社区`)),
    ),
  );

describe("renderDocument", () => {
  it("sends the same bytes as the string renderer: no NUL bytes where a Chinese character meets a buffer's end", async () => {
    const res = await renderDocument(page(), { status: 200, headers: new Headers(), timeoutMs: 5_000 });
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.filter((b) => b === 0).length).toBe(0);
    expect(new TextDecoder().decode(bytes)).toBe(`<!DOCTYPE html>${renderToString(page())}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });

  it("rejects when the page itself throws, having reported the error (Remix then answers 500)", async () => {
    const Broken = () => {
      throw new Error("broken");
    };
    const errors: unknown[] = [];
    await expect(
      renderDocument(h("html", null, h("body", null, h(Broken))), { status: 200, headers: new Headers(), timeoutMs: 5_000, onError: (e) => errors.push(e) }),
    ).rejects.toThrow("broken");
    expect(errors).toHaveLength(1);
  });
});
