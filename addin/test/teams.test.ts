import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { authConfigFrom, teamsSignInModeFor, teamsSsoSession } from "../src/auth";
import { meetingKeyOf, occurrenceOn, surfaceOf, themeOf } from "../src/teams/context";
import { json, workflow } from "./fixtures";

const chatId = "19:meeting_NjQ0YzU5@thread.v2";

describe("the Teams context, as the pane reads it", () => {
  it("tells the meeting's side panel, stage, details tab and the configuration page apart", () => {
    expect(surfaceOf("sidePanel", chatId)).toBe("sidePanel");
    expect(surfaceOf("meetingStage", chatId)).toBe("stage");
    expect(surfaceOf("content", chatId)).toBe("details");
    expect(surfaceOf("settings", chatId)).toBe("config");
  });

  it("takes content without a chat for the personal tab", () => {
    expect(surfaceOf("content", undefined)).toBe("personal");
  });

  it("follows the dark and high-contrast themes, and the default one for a theme it does not know", () => {
    expect(["default", "dark", "contrast", "glass", undefined].map(themeOf)).toEqual(["default", "dark", "contrast", "default", "default"]);
  });

  it("keys the meeting by its chat thread, as the server does Outlook's Teams join URL", () => {
    expect(meetingKeyOf(chatId)).toBe("event:teams:19:meeting_NjQ0YzU5@thread.v2");
  });

  it("takes today where the person is as the occurrence", () => {
    expect(occurrenceOn(new Date(2026, 0, 5, 23, 30))).toBe("2026-01-05");
  });
});

describe("signing in inside Teams", () => {
  const production = authConfigFrom({ VITE_AUTH_MODE: "naa", VITE_CLIENT_ID: "c", VITE_API_SCOPE: "api://a/access_as_user" }, "https://pane.test");
  const development = authConfigFrom({}, "https://localhost:3000");

  it("uses Nested App Authentication where Teams offers it", () => {
    expect(teamsSignInModeFor(production, true)).toBe("naa");
  });

  it("falls back to Teams' single sign-on where Teams does not offer it", () => {
    expect(teamsSignInModeFor(production, false)).toBe("teamsSso");
  });

  it("keeps the local development sign-in in a development build, whatever Teams offers", () => {
    expect(teamsSignInModeFor(development, true)).toBe("local");
    expect(teamsSignInModeFor(development, false)).toBe("local");
  });

  it("asks Teams for each token in its single sign-on, and names the person Teams named", async () => {
    const getAuthToken = vi.fn(async () => "teams-token");
    const session = teamsSsoSession(getAuthToken, "bob@contoso.test");
    expect(await session.token()).toBe("teams-token");
    expect(await session.token()).toBe("teams-token");
    expect(getAuthToken).toHaveBeenCalledTimes(2); // Teams keeps and renews its tokens itself
    expect(session.who).toBe("bob@contoso.test");
  });
});

describe("the api client, for a meeting's record", () => {
  const key = meetingKeyOf(chatId);
  const encoded = "event%3Ateams%3A19%3Ameeting_NjQ0YzU5%40thread.v2";
  const record = { key, on: "2026-01-05", purpose: "Q2", purposeSetFor: "meeting", workflows: [], othersLinked: 0, outcomes: [] };
  function client(...responses: Response[]) {
    const fetch = vi.fn<typeof globalThis.fetch>();
    for (const r of responses) fetch.mockResolvedValueOnce(r);
    return { fetch, api: new ApiClient({ baseUrl: "http://api.test", token: async () => "tok", fetch }) };
  }

  it("reads the record for one occurrence, the key encoded as item keys are", async () => {
    const { fetch, api } = client(json(200, record));
    expect(await api.meeting(key, "2026-01-05")).toEqual(record);
    expect(fetch.mock.calls[0]![0]).toBe(`http://api.test/api/meetings/${encoded}?on=2026-01-05`);
  });

  it("sets the purpose for every occurrence, or with the day for this one only, and clears it with null", async () => {
    const { fetch, api } = client(json(200, record), json(200, record), json(200, record));
    await api.setPurpose(key, "Q2");
    await api.setPurpose(key, "Q3", "2026-01-05");
    await api.setPurpose(key, null);
    expect(fetch.mock.calls.map(([url, init]) => [init?.method, url, JSON.parse(String(init?.body))])).toEqual([
      ["PUT", `http://api.test/api/meetings/${encoded}/purpose`, { purpose: "Q2" }],
      ["PUT", `http://api.test/api/meetings/${encoded}/purpose`, { purpose: "Q3", on: "2026-01-05" }],
      ["PUT", `http://api.test/api/meetings/${encoded}/purpose`, { purpose: null }],
    ]);
  });

  it("asks for the agenda between the attendees it knows, and leaves them to the server when it knows none", async () => {
    const { fetch, api } = client(json(200, { purpose: "Q2", items: [] }), json(200, { purpose: "Q2", items: [] }));
    await api.agenda(key, "2026-01-05", ["alice@contoso.test", "bob@contoso.test"]);
    await api.agenda(key, "2026-01-05");
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `http://api.test/api/meetings/${encoded}/agenda?on=2026-01-05&with=alice%40contoso.test&with=bob%40contoso.test`,
      `http://api.test/api/meetings/${encoded}/agenda?on=2026-01-05`,
    ]);
  });

  it("unlinks a workflow from the meeting", async () => {
    const { fetch, api } = client(new Response(null, { status: 204 }));
    await api.unlink(key, workflow().id);
    expect([fetch.mock.calls[0]![1]?.method, fetch.mock.calls[0]![0]]).toEqual(["DELETE", `http://api.test/api/items/${encoded}/workflows/${workflow().id}`]);
  });
});
