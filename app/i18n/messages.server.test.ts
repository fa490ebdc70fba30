import { describe, expect, it } from "vitest";
import { translate } from ".";
import { usedMessagesJson, withMessageRecording } from "./messages.server";
import { lowPriorityScripts } from "../render.server";

describe("the messages a page carries", () => {
  it("are exactly those its render looked up, in its language, with `<` escaped", () => {
    const json = withMessageRecording(() => {
      translate("zh-CN", "app.name");
      translate("zh-CN", "home.welcome", { name: "<b>王阿姨</b>" });
      translate("en", "nav.login");
      return usedMessagesJson("zh-CN");
    });
    const used = JSON.parse(json) as Record<string, string>;
    expect(Object.keys(used).sort()).toEqual(["app.name", "home.welcome"]);
    expect(used["home.welcome"]).toBe("您好，{name}");
    expect(json).not.toContain("<");
  });

  it("include a catalogue entry named by an @key parameter", () => {
    const used = withMessageRecording(() => {
      translate("zh-CN", "home.welcome", { name: "@app.name" });
      return JSON.parse(usedMessagesJson("zh-CN")) as Record<string, string>;
    });
    expect(Object.keys(used).sort()).toEqual(["app.name", "home.welcome"]);
  });

  it("are kept apart between requests rendering at the same time", async () => {
    const render = (key: "nav.login" | "nav.signup") =>
      withMessageRecording(async () => {
        await new Promise((r) => setTimeout(r, 5));
        translate("zh-CN", key);
        await new Promise((r) => setTimeout(r, 5));
        return Object.keys(JSON.parse(usedMessagesJson("zh-CN")) as object);
      });
    expect(await Promise.all([render("nav.login"), render("nav.signup")])).toEqual([["nav.login"], ["nav.signup"]]);
  });

  it("is nothing outside a render", () => {
    translate("zh-CN", "app.name");
    expect(usedMessagesJson("zh-CN")).toBe("{}");
  });
});

describe("scripts", () => {
  it("are preloaded at low priority, so the stylesheet paints the page first", () => {
    const html = '<link rel="stylesheet" href="/a.css"/><link rel="modulepreload" href="/build/x.js"/><link rel="modulepreload" href="/build/y.js"/>';
    expect(lowPriorityScripts(html)).toBe('<link rel="stylesheet" href="/a.css"/><link rel="modulepreload" fetchpriority="low" href="/build/x.js"/><link rel="modulepreload" fetchpriority="low" href="/build/y.js"/>');
  });
});
