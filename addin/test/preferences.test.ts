// @vitest-environment happy-dom
// The notification preferences page (`?view=preferences`, linked from every notification mail): prefilled from
// /api/me, checked in plain words before it is sent, saved with PUT, and a server's refusal shown in its words.
import { describe, expect, it, vi } from "vitest";
import { ApiClient, type Me } from "../src/api/client";
import { App } from "../src/ui/app";
import { deepLinkFrom } from "../src/ui/deeplink";
import { FORGET_WORDS, forgottenText, preferencesBody, preferencesFormFrom, preferencesProblem } from "../src/ui/preferences";
import { json } from "./fixtures";

const me: Me = {
  tenantId: "t", objectId: "o", email: "alice@contoso.test", displayName: "Alice",
  timeZone: "Europe/Berlin", timeZoneFromMailbox: true, notify: "daily", quietFrom: "22:00", quietTo: "07:00",
};

describe("checking the form", () => {
  const ok = { quietFrom: "22:00", quietTo: "07:00", timeZone: "Europe/Berlin" };
  it("takes quiet hours that span midnight, and none at all", () => {
    expect(preferencesProblem(ok)).toBeUndefined();
    expect(preferencesProblem({ ...ok, quietFrom: "", quietTo: "" })).toBeUndefined();
  });

  it("wants both ends of quiet hours or neither, times of day, different ends, and a time zone", () => {
    expect(preferencesProblem({ ...ok, quietTo: "" })).toMatch(/both a start and an end/);
    expect(preferencesProblem({ ...ok, quietFrom: "" })).toMatch(/both a start and an end/);
    expect(preferencesProblem({ ...ok, quietFrom: "25:00" })).toMatch(/times of day/);
    expect(preferencesProblem({ ...ok, quietTo: "7pm" })).toMatch(/times of day/);
    expect(preferencesProblem({ ...ok, quietTo: "22:00" })).toMatch(/same time/);
    expect(preferencesProblem({ ...ok, timeZone: " " })).toMatch(/Choose a time zone/);
  });

  it("sends the time zone only when changed, so one taken from the mailbox stays the mailbox's", () => {
    const form = preferencesFormFrom(me);
    expect(preferencesBody(form)).toEqual({ notify: "daily", quietFrom: "22:00", quietTo: "07:00" });
    expect(preferencesBody({ ...form, timeZone: "Asia/Tokyo", quietFrom: "", quietTo: "" }))
      .toEqual({ notify: "daily", quietFrom: "", quietTo: "", timeZone: "Asia/Tokyo" });
  });
});

function backend(routes: (method: string, url: string, body: string | undefined) => Response) {
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => routes(init?.method ?? "GET", String(input), init?.body as string | undefined));
  return { fetch, api: new ApiClient({ baseUrl: "", token: async () => "t", fetch }) };
}

async function preferencesPage(routes: Parameters<typeof backend>[0]) {
  const root = document.createElement("div");
  document.body.replaceChildren(root);
  const { fetch, api } = backend(routes);
  const app = new App(root, { itemKeyOf: () => null, tagItem: async () => undefined });
  app.follow(deepLinkFrom("?view=preferences"));
  app.setItem(null, null);
  await app.signedIn(api, "alice@contoso.test");
  const form = root.querySelector<HTMLFormElement>("form.preferences-form")!;
  const field = (name: string) => form.querySelector<HTMLInputElement>(`input[name="${name}"]:not([type=radio])`)!;
  const type = (name: string, value: string) => { field(name).value = value; field(name).dispatchEvent(new Event("input")); };
  const save = () => form.dispatchEvent(new Event("submit", { cancelable: true }));
  const puts = () => fetch.mock.calls.filter(([, init]) => init?.method === "PUT");
  return { root, form, field, type, save, puts };
}

const routes = (put: () => Response) => (method: string, url: string) =>
  url === "/api/me" ? json(200, me) : method === "PUT" ? put() : json(200, { items: [] });

describe("the preferences page", () => {
  it("is prefilled from /api/me and says the time zone came from the Outlook mailbox", async () => {
    const { form, field } = await preferencesPage(routes(() => new Response(null, { status: 204 })));
    expect(form.querySelector<HTMLInputElement>('input[type=radio][value="daily"]')!.checked).toBe(true);
    expect(field("quietFrom").value).toBe("22:00");
    expect(field("quietTo").value).toBe("07:00");
    expect(field("timeZone").value).toBe("Europe/Berlin");
    expect(form.textContent).toContain("Taken from your Outlook mailbox settings.");
  });

  it("saves the choice with PUT and says so", async () => {
    const p = await preferencesPage(routes(() => new Response(null, { status: 204 })));
    p.form.querySelector<HTMLInputElement>('input[type=radio][value="weekly"]')!.dispatchEvent(new Event("change"));
    p.type("quietFrom", "");
    p.type("quietTo", "");
    p.save();
    await vi.waitFor(() => expect(p.root.querySelector(".saved")?.textContent).toBe("Saved."));
    expect(p.puts().map(([url, init]) => [url, JSON.parse(String(init?.body))])).toEqual([
      ["/api/me/preferences", { notify: "weekly", quietFrom: "", quietTo: "" }],
    ]);
  });

  it("does not send half of the quiet hours: it says what is wrong instead", async () => {
    const p = await preferencesPage(routes(() => new Response(null, { status: 204 })));
    p.type("quietTo", "");
    p.save();
    await vi.waitFor(() => expect(p.root.querySelector(".problem")?.textContent).toMatch(/both a start and an end/));
    expect(p.puts()).toEqual([]);
  });

  it("shows the server's refusal in its words", async () => {
    const p = await preferencesPage(routes(() => json(400, { status: 400, title: "The preferences are not valid.", detail: "timeZone must be an IANA time zone such as Europe/Berlin." })));
    p.type("timeZone", "Mars/Olympus");
    p.save();
    await vi.waitFor(() => expect(p.root.querySelector(".problem")?.textContent)
      .toBe("The preferences are not valid. timeZone must be an IANA time zone such as Europe/Berlin."));
    expect(JSON.parse(String(p.puts()[0]![1]?.body))).toMatchObject({ timeZone: "Mars/Olympus" });
    expect(p.root.querySelector(".saved")).toBeNull();
  });
});

describe("deleting my data", () => {
  it("says what a deletion did, and to ask again when it could not finish", () => {
    expect(FORGET_WORDS).toBe("delete my data");
    expect(forgottenText({ workflowsForgotten: 3, workflowsLeft: 0, rolesClosed: 0, complete: true }))
      .toBe("Your data was deleted. In 3 workflows you shared, the other person now sees you as “a former colleague”.");
    expect(forgottenText({ workflowsForgotten: 1, workflowsLeft: 0, rolesClosed: 1, complete: true })).toContain("In 1 workflow you shared");
    expect(forgottenText({ workflowsForgotten: 2, workflowsLeft: 1, rolesClosed: 0, complete: false }))
      .toBe("Some of your workflows were busy (1 left). Ask again to finish deleting your data.");
  });
});
