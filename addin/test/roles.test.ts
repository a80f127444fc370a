// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Role, RoleList } from "../src/api/roles";
import { RolesPage, choiceProblem, cronOf, scheduleText } from "../src/ui/roles";
import { json } from "./fixtures";

const party = (email: string, displayName: string) => ({ email, displayName, pending: false });

function role(overrides: Partial<Role> = {}): Role {
  return {
    id: "0123456789abcdef0123456789abcdef", version: 4, name: "Board reporting", holder: party("bob@contoso.test", "Bob Baker"), youHold: true,
    holders: [{ holder: party("bob@contoso.test", "Bob Baker"), from: "2030-01-14T08:00:00Z" }],
    accountabilities: [{
      id: "a1", concern: "Board report", conditions: "Two pages", customer: party("alice@contoso.test", "Alice Archer"), schedule: "0 9 20 * *",
      timeZone: "Europe/Berlin", leadDays: 7, start: "request", nextDue: ["2030-01-20T08:00:00Z"], nextOpensAt: "2030-01-13T08:00:00Z",
    }],
    offers: [], missed: [], cycles: [],
    ...overrides,
  } as Role;
}

describe("a role's schedule, chosen in words", () => {
  it("stands for five cron fields: monthly on a day, weekly on a weekday, or as typed", () => {
    expect(cronOf({ kind: "monthly", day: 20, time: "09:30" })).toBe("30 9 20 * *");
    expect(cronOf({ kind: "weekly", weekday: 1, time: "17:00" })).toBe("0 17 * * 1");
    expect(cronOf({ kind: "custom", cron: "  0  9 1 */3 * " })).toBe("0 9 1 */3 *");
  });

  it("is said back in words when it is one the pane offers", () => {
    expect(scheduleText("30 9 20 * *")).toBe("Monthly on day 20 at 09:30");
    expect(scheduleText("0 17 * * 5")).toBe("Every Friday at 17:00");
    expect(scheduleText("0 9 1 */3 *")).toBe("Schedule 0 9 1 */3 *");
  });

  it("is refused before asking the server when a field is missing or a day is not in every month", () => {
    expect(choiceProblem({ kind: "custom", cron: "0 0 9 * * 1" })).toMatch(/five fields/);
    expect(choiceProblem({ kind: "monthly", day: 31, time: "09:00" })).toMatch(/1 to 28/);
    expect(choiceProblem({ kind: "weekly", weekday: 2, time: "" })).toMatch(/time/);
    expect(choiceProblem({ kind: "monthly", day: 5, time: "09:00" })).toBeUndefined();
  });
});

describe("the Roles page", () => {
  function page(list: RoleList, ...more: Response[]) {
    const fetch = vi.fn<typeof globalThis.fetch>();
    fetch.mockResolvedValueOnce(json(200, list));
    for (const r of more) fetch.mockResolvedValueOnce(r);
    const opened: string[] = [];
    const roles = new RolesPage(new ApiClient({ baseUrl: "http://api.test", token: async () => "tok", fetch }), (id) => opened.push(id));
    const root = document.createElement("div");
    document.body.append(root);
    return { fetch, roles, root, opened };
  }

  it("lists the roles I hold with each template's schedule in words and its next date", async () => {
    const { roles, root } = page({ holding: [role()], offeredToYou: [], heldBefore: [] });
    await roles.mount(root);
    const text = root.textContent ?? "";
    expect(text).toContain("Board reporting");
    expect(text).toContain("Monthly on day 20 at 09:00 (Europe/Berlin)");
    expect(text).toContain("Next due");
  });

  it("answers an offered cycle on the version it shows, then reads the roles again", async () => {
    const offer = { workflowId: "fedcba9876543210fedcba9876543210", concern: "Board report", due: "2030-01-20T08:00:00Z", from: party("bob@contoso.test", "Bob Baker"),
      to: party("carol@contoso.test", "Carol Chen"), at: "2030-01-15T08:00:00Z", forYou: true };
    const offered = role({ youHold: true, holder: party("carol@contoso.test", "Carol Chen"), offers: [offer] });
    const { fetch, roles, root } = page({ holding: [], offeredToYou: [offered], heldBefore: [] },
      json(200, { ...offered, version: 5, offers: [] }, { ETag: '"5"' }), json(200, { holding: [], offeredToYou: [], heldBefore: [] }));
    await roles.mount(root);

    const take = [...root.querySelectorAll("fluent-button")].find((b) => b.textContent?.includes("Take it")) as HTMLElement;
    take.click();
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(3));

    const [url, init] = fetch.mock.calls[1]!;
    expect(url).toBe(`http://api.test/api/roles/${offered.id}/offers/${offer.workflowId}`);
    expect(new Headers(init?.headers).get("If-Match")).toBe('"4"');
    expect(JSON.parse(String(init?.body))).toEqual({ accept: true });
  });
});
