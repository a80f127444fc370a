import { describe, expect, it, vi } from "vitest";
import { ApiClient, ApiProblem, requestDevToken } from "../src/api/client";
import { json, workflow } from "./fixtures";

function client(...responses: Response[]) {
  const fetch = vi.fn<typeof globalThis.fetch>();
  for (const r of responses) fetch.mockResolvedValueOnce(r);
  return { fetch, api: new ApiClient({ baseUrl: "http://api.test/", token: async () => "tok", fetch }) };
}
const headersOf = (call: Parameters<typeof fetch>) => new Headers(call[1]?.headers);

describe("the api client", () => {
  it("reads a workflow with its ETag and sends the bearer token", async () => {
    const { fetch, api } = client(json(200, workflow(), { ETag: '"3"' }));
    const got = await api.get("0123456789abcdef0123456789abcdef");
    expect(got.etag).toBe('"3"');
    expect(got.workflow.concern).toBe("Review the Q3 budget");
    expect(fetch.mock.calls[0]![0]).toBe("http://api.test/api/workflows/0123456789abcdef0123456789abcdef");
    expect(headersOf(fetch.mock.calls[0]!).get("Authorization")).toBe("Bearer tok");
  });

  it("sends a move with If-Match naming the version decided on, and the action's Idempotency-Key", async () => {
    const after = workflow({ version: 4, state: "promised", stateLabel: "Agreed", quadrant: "Q3" });
    const { fetch, api } = client(json(200, after, { ETag: '"4"' }));
    const outcome = await api.move({ workflow: workflow(), etag: '"3"' }, { move: "promise" }, "key-1");
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe("http://api.test/api/workflows/0123456789abcdef0123456789abcdef/moves");
    expect(init?.method).toBe("POST");
    expect(headersOf(fetch.mock.calls[0]!).get("If-Match")).toBe('"3"');
    expect(headersOf(fetch.mock.calls[0]!).get("Idempotency-Key")).toBe("key-1");
    expect(JSON.parse(String(init?.body))).toEqual({ move: "promise" });
    expect(outcome).toEqual({ kind: "moved", current: { workflow: after, etag: '"4"' } });
  });

  it("on 412 reloads the workflow and says what changed", async () => {
    const stale = json(412, { type: "https://workflow.dev/problems/stale-version", title: "The workflow has changed since you loaded it.", status: 412, currentVersion: 4 });
    const now = workflow({ version: 4, state: "declined", stateLabel: "Declined", quadrant: "closed", closed: true, whoseMove: null, yourMove: false, availableMoves: ["note"] });
    const { fetch, api } = client(stale, json(200, now, { ETag: '"4"' }));
    const outcome = await api.move({ workflow: workflow(), etag: '"3"' }, { move: "promise" }, "key-2");
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(fetch.mock.calls[1]![1]?.method).toBe("GET");
    expect(outcome.kind).toBe("conflict");
    expect(outcome.current.etag).toBe('"4"');
    if (outcome.kind !== "conflict") throw new Error("expected a conflict");
    expect(outcome.changes).toContain('It is now "Declined" (was "Asked").');
    expect(outcome.changes).toContain("Nobody has a move left.");
  });

  it("surfaces problem details as an ApiProblem with the server's words", async () => {
    const refused = json(409, {
      type: "https://workflow.dev/problems/not-your-move", title: "That move is the other party's.", status: 409,
      detail: "promise is the performer's move in requested.", state: "requested", party: "customer", availableMoves: ["withdraw"],
    });
    const { api } = client(refused);
    const error = await api.move({ workflow: workflow(), etag: '"3"' }, { move: "promise" }, "k").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    const problem = error as ApiProblem;
    expect(problem.status).toBe(409);
    expect(problem.kind).toBe("not-your-move");
    expect(problem.message).toBe("promise is the performer's move in requested.");
    expect(problem.problem["availableMoves"]).toEqual(["withdraw"]);
  });

  it("turns a non-JSON error into a problem with the status line", async () => {
    const { api } = client(new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    await expect(api.list("all")).rejects.toMatchObject({ status: 502, problem: { title: "Bad Gateway" } });
  });

  it("opens a workflow with an Idempotency-Key and the source item", async () => {
    const { fetch, api } = client(json(201, workflow({ version: 1 }), { ETag: '"1"' }));
    await api.open({ concern: "c", customer: "alice@contoso.test", performer: "me", source: { key: "thread:x", kind: "message", subject: "s" } }, "open-1");
    expect(headersOf(fetch.mock.calls[0]!).get("Idempotency-Key")).toBe("open-1");
    expect(headersOf(fetch.mock.calls[0]!).get("If-Match")).toBeNull();
    expect(JSON.parse(String(fetch.mock.calls[0]![1]?.body))).toMatchObject({ source: { key: "thread:x", kind: "message" } });
  });

  it("asks for the linked workflows of an item with its key URL-encoded, in one call", async () => {
    const { fetch, api } = client(json(200, []));
    await api.linkedTo("thread:AAQk/+=");
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]![0]).toBe("http://api.test/api/items/thread%3AAAQk%2F%2B%3D/workflows");
  });

  it("asks for a list by view and quadrant", async () => {
    const { fetch, api } = client(json(200, { items: [] }));
    await api.list("owedToMe", { quadrant: "Q4" });
    expect(fetch.mock.calls[0]![0]).toBe("http://api.test/api/workflows?view=owedToMe&quadrant=Q4");
  });

  it("follows a history's pages to the end, each cursor once", async () => {
    const entry = (version: number) => ({ version, event: "noteAdded", by: "customer", who: "Alice", at: "2026-12-01T09:00:00Z", details: {} });
    const { fetch, api } = client(
      json(200, { items: [entry(1), entry(2)], next: "v2" }),
      json(200, { items: [entry(3)], next: "v3" }),
      json(200, { items: [entry(4)], next: "v3" }));
    const history = await api.history("0123456789abcdef0123456789abcdef");
    expect(history.map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect(fetch.mock.calls.map((c) => c[0])).toEqual([
      "http://api.test/api/workflows/0123456789abcdef0123456789abcdef/history?limit=200",
      "http://api.test/api/workflows/0123456789abcdef0123456789abcdef/history?limit=200&cursor=v2",
      "http://api.test/api/workflows/0123456789abcdef0123456789abcdef/history?limit=200&cursor=v3",
    ]);
  });

  it("gets a local development token by email", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(json(200, { access_token: "dev-token", token_type: "Bearer" }));
    expect(await requestDevToken("", "alice@contoso.test", fetch)).toBe("dev-token");
    expect(fetch.mock.calls[0]![0]).toBe("/api/dev/token");
    expect(JSON.parse(String(fetch.mock.calls[0]![1]?.body))).toEqual({ email: "alice@contoso.test" });
  });
});
