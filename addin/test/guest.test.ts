// @vitest-environment happy-dom
// Someone outside the organisation acts through the personal link a notification mail gave them
// (`?workflow=<id>&move=<move>#guest=<token>`): the token is read from the fragment, kept for a reload of the tab and
// taken out of the address bar; it alone (the Workflow-Link header, no bearer token) opens that one workflow.
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { forgetGuestLink, guestLinkFrom, MALFORMED_GUEST_LINK, takeGuestLink } from "../src/auth";
import { App } from "../src/ui/app";
import { deepLinkFrom } from "../src/ui/deeplink";
import { guestProblemText } from "../src/ui/labels";
import { json, workflow } from "./fixtures";

const token = "A".repeat(20) + "b-_" + "9".repeat(20); // 43 base64url characters, as the API issues
const id = "0123456789abcdef0123456789abcdef";

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => { items.set(k, v); },
    removeItem: (k: string) => { items.delete(k); },
  };
}

describe("reading a personal link", () => {
  it("takes a 43-character base64url token from #guest=", () => {
    expect(guestLinkFrom(`#guest=${token}`)).toEqual({ token });
    expect(guestLinkFrom("")).toBeUndefined();
    expect(guestLinkFrom("#section")).toBeUndefined();
  });

  it("says plainly when the token is cut short or has characters a token never has", () => {
    expect(guestLinkFrom(`#guest=${token.slice(0, 40)}`)).toEqual({ problem: MALFORMED_GUEST_LINK });
    expect(guestLinkFrom(`#guest=${token.slice(0, 42)}=`)).toEqual({ problem: MALFORMED_GUEST_LINK });
    expect(guestLinkFrom("#guest=")).toEqual({ problem: MALFORMED_GUEST_LINK });
  });

  it("keeps the fragment's token for a reload of the tab and takes the fragment out of the address bar", () => {
    const storage = memoryStorage();
    const clearHash = vi.fn();
    expect(takeGuestLink({ hash: `#guest=${token}`, storage, clearHash })).toEqual({ token });
    expect(clearHash).toHaveBeenCalledOnce();
    // The reload: no fragment any more, the tab's kept token.
    const reload = vi.fn();
    expect(takeGuestLink({ hash: "", storage, clearHash: reload })).toEqual({ token });
    expect(reload).not.toHaveBeenCalled();
  });

  it("lets a newer link replace the kept one, a malformed one drop it, and forgets it when asked", () => {
    const storage = memoryStorage();
    takeGuestLink({ hash: `#guest=${token}`, storage, clearHash: () => undefined });
    const newer = "Z".repeat(43);
    expect(takeGuestLink({ hash: `#guest=${newer}`, storage, clearHash: () => undefined })).toEqual({ token: newer });
    expect(takeGuestLink({ hash: "", storage, clearHash: () => undefined })).toEqual({ token: newer });
    expect(takeGuestLink({ hash: "#guest=short", storage, clearHash: () => undefined })).toEqual({ problem: MALFORMED_GUEST_LINK });
    expect(takeGuestLink({ hash: "", storage, clearHash: () => undefined })).toBeUndefined();
    takeGuestLink({ hash: `#guest=${token}`, storage, clearHash: () => undefined });
    forgetGuestLink(storage);
    expect(takeGuestLink({ hash: "", storage, clearHash: () => undefined })).toBeUndefined();
  });

  it("never takes a non-token kept in storage", () => {
    const storage = memoryStorage();
    storage.setItem("workflow.guestLink", "not a token");
    expect(takeGuestLink({ hash: "", storage, clearHash: () => undefined })).toBeUndefined();
  });
});

describe("plain words for a refused link", () => {
  it("says what each refusal means and what to do", () => {
    expect(guestProblemText(401, "link-required")).toMatch(/not complete/);
    expect(guestProblemText(404, "link-not-valid")).toMatch(/not valid/);
    expect(guestProblemText(410, "link-expired")).toBe("This link has expired. The next mail about this workflow brings a new one.");
    expect(guestProblemText(410, "link-revoked")).toMatch(/no longer opens the workflow/);
    expect(guestProblemText(403, "forbidden")).toBe("");
  });
});

/** A guest client over a scripted backend. */
function guestBackend(routes: (method: string, url: string) => Response) {
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => routes(init?.method ?? "GET", String(input)));
  return { fetch, api: new ApiClient({ baseUrl: "", guestLink: token, fetch }) };
}
const calls = (fetch: ReturnType<typeof guestBackend>["fetch"]) => fetch.mock.calls.map(([url, init]) => `${init?.method ?? "GET"} ${String(url)}`);
const outsider = workflow({ performer: { email: "auditor@outside.example", displayName: null, pending: true } });

async function openAsGuest(search: string, routes: (method: string, url: string) => Response) {
  const root = document.createElement("div");
  document.body.replaceChildren(root);
  const { fetch, api } = guestBackend(routes);
  const app = new App(root, { itemKeyOf: () => null, tagItem: async () => undefined });
  app.follow(deepLinkFrom(search));
  const opened = await app.guest(api);
  return { root, fetch, opened };
}

describe("the web app through a personal link", () => {
  it("sends the token in Workflow-Link and no bearer token, to the guest routes", async () => {
    const { fetch } = await openAsGuest(`?workflow=${id}`, () => json(200, outsider, { ETag: '"3"' }));
    const headers = new Headers(fetch.mock.calls[0]![1]?.headers);
    expect(headers.get("Workflow-Link")).toBe(token);
    expect(headers.get("Authorization")).toBeNull();
    expect(calls(fetch)).toEqual(["GET /api/guest/workflow"]);
  });

  it("shows that one card with a banner saying who they act as, and no lists, pages or sign-in", async () => {
    const { root, fetch, opened } = await openAsGuest(`?workflow=${id}`, () => json(200, outsider, { ETag: '"3"' }));
    expect(opened).toBe(true);
    expect(root.querySelector(".guest-banner")!.textContent).toBe(
      "You are acting as auditor@outside.example, the performer, through the link mailed to you.");
    expect(root.querySelector("article.card h2")!.textContent).toBe("Review the Q3 budget");
    // Their own party by the address the link was mailed to: "not signed in yet" is no news to them.
    const [customer, performer] = [...root.querySelectorAll("article.card dd")].map((d) => d.textContent);
    expect(customer).toBe("Alice <alice@contoso.test>");
    expect(performer).toBe("auditor@outside.example — you");
    expect(root.querySelector('[data-move="promise"]')).not.toBeNull();
    for (const absent of ["nav.pages", 'section[aria-label="My lists"]', 'input[type="email"]', ".history-button", '[aria-label="Close"]']) {
      expect(root.querySelector(absent), absent).toBeNull();
    }
    expect(calls(fetch).every((c) => c.includes("/api/guest/"))).toBe(true);
  });

  it("opens the link's move as a form and sends it through the link with If-Match", async () => {
    const promised = { ...outsider, version: 4, state: "promised" as const, stateLabel: "Agreed", availableMoves: ["reportComplete" as const] };
    const { root, fetch } = await openAsGuest(`?workflow=${id}&move=commitToCommit`, (method) =>
      method === "POST" ? json(200, promised, { ETag: '"4"' }) : json(200, outsider, { ETag: '"3"' }));
    const form = root.querySelector<HTMLFormElement>("article.card form.move-form")!;
    expect(form.querySelector("h3")!.textContent).toBe("I'll answer by…");
    expect(calls(fetch).filter((c) => c.startsWith("POST"))).toEqual([]);
    expect(root.querySelector("[data-move]")).toBeNull(); // no move buttons while the form is open
    form.querySelector("input")!.value = "2026-12-01";
    form.querySelector("input")!.dispatchEvent(new Event("input"));
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector('[data-move="reportComplete"]')).not.toBeNull());
    const post = fetch.mock.calls.find(([, init]) => init?.method === "POST")!;
    expect(String(post[0])).toBe("/api/guest/workflow/moves");
    expect(new Headers(post[1]?.headers).get("If-Match")).toBe('"3"');
    expect(new Headers(post[1]?.headers).get("Workflow-Link")).toBe(token);
    expect(JSON.parse(String(post[1]?.body))).toMatchObject({ move: "commitToCommit" });
    // After the move nothing else is read: no lists, no item panel, no review.
    expect(calls(fetch)).toEqual(["GET /api/guest/workflow", "POST /api/guest/workflow/moves"]);
  });

  it("stops mail to the link's address from the banner, through the link, and can start it again", async () => {
    let stopped = false;
    const { root, fetch } = await openAsGuest(`?workflow=${id}`, (method, url) => {
      if (url.endsWith("/api/guest/mail")) {
        if (method === "PUT") return new Response(null, { status: 204 });
        return json(200, { address: "auditor@outside.example", stopped });
      }
      return json(200, outsider, { ETag: '"3"' });
    });
    const button = () => root.querySelector<HTMLElement>(".guest-mail fluent-button")!;
    expect(button().textContent!.trim()).toBe("Stop mails to this address");

    stopped = true;
    button().click();
    await vi.waitFor(() => expect(button().textContent!.trim()).toBe("Send me mails again"));
    expect(root.querySelector(".guest-mail [role=status]")!.textContent).toBe("Mails to auditor@outside.example are stopped.");
    const put = fetch.mock.calls.find(([, init]) => init?.method === "PUT")!;
    expect(String(put[0])).toBe("/api/guest/mail");
    expect(JSON.parse(String(put[1]?.body))).toEqual({ stopped: true });
    expect(new Headers(put[1]?.headers).get("Workflow-Link")).toBe(token);
    expect(new Headers(put[1]?.headers).get("Authorization")).toBeNull();

    stopped = false;
    button().click();
    await vi.waitFor(() => expect(button().textContent!.trim()).toBe("Stop mails to this address"));
    expect(JSON.parse(String(fetch.mock.calls.filter(([, init]) => init?.method === "PUT")[1]![1]?.body))).toEqual({ stopped: false });
  });

  it("a page for another workflow than the kept link's opens the link's card with no move started, and says why", async () => {
    const other = "f".repeat(32);
    const { root, fetch } = await openAsGuest(`?workflow=${other}&move=decline`, () => json(200, outsider, { ETag: '"3"' }));
    expect(root.querySelector("article.card h2")!.textContent).toBe("Review the Q3 budget");
    expect(root.querySelector("article.card form.move-form")).toBeNull();
    expect(root.querySelector("fluent-message-bar")!.textContent).toContain("another workflow than the one your personal link is for");
    expect(calls(fetch)).toEqual(["GET /api/guest/workflow"]);
  });

  it.each([
    [401, "link-required", "This link is not complete."],
    [404, "link-not-valid", "This link is not valid."],
    [410, "link-expired", "This link has expired. The next mail about this workflow brings a new one."],
    [410, "link-revoked", "This link no longer opens the workflow"],
  ])("a %i %s says so in plain words, shows no card, and reports the link refused", async (status, kind, words) => {
    const { root, opened } = await openAsGuest(`?workflow=${id}`, () =>
      json(status, { type: `https://workflow.dev/problems/${kind}`, status, title: "server words" }));
    expect(opened).toBe(false);
    expect(root.querySelector("fluent-message-bar")!.textContent).toContain(words);
    expect(root.querySelector("article.card")).toBeNull();
    expect(root.querySelector('input[type="email"]')).toBeNull();
  });
});
