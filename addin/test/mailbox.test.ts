import { describe, expect, it } from "vitest";
import { itemKeyOf, readCurrentItem, tagCurrentItem, whenOfficeReady } from "../src/mailbox";
import { proposeParties } from "../src/ui/labels";
import { alice, answers, me, outlookWith } from "./office-mock";

const categories = (names: string[] = []) => ({ getAsync: answers(names.map((displayName) => ({ displayName, color: "Preset0" }))) });

describe("reading the current item", () => {
  it("reads a received message: sender, recipients, thread and REST id; I am proposed as performer", async () => {
    const office = outlookWith({
      itemType: "message", subject: "Q3 budget", from: alice, to: [me], conversationId: "AAQkconv", itemId: "ews-1",
      categories: categories(["Red"]),
    });
    const item = await readCurrentItem(office);
    expect(item).toMatchObject({
      kind: "message", mode: "read", subject: "Q3 budget", sentByMe: false, conversationId: "AAQkconv", itemId: "rest:ews-1",
      from: { email: "alice@contoso.test", name: "Alice" }, to: [{ email: "bob@contoso.test" }], categories: ["Red"],
    });
    expect(itemKeyOf(item!)).toBe("thread:AAQkconv");
    expect(proposeParties(item)).toEqual({ customer: "alice@contoso.test", performer: "me" });
  });

  it("reverses the parties for a message I sent", async () => {
    const office = outlookWith({ itemType: "message", subject: "Can you?", from: { ...me, emailAddress: "BOB@contoso.test" }, to: [alice], conversationId: "c2", itemId: "e2" });
    const item = await readCurrentItem(office);
    expect(item).toMatchObject({ sentByMe: true });
    expect(proposeParties(item)).toEqual({ customer: "me", performer: "alice@contoso.test" });
  });

  it("reads a message being composed through the async getters, with the id from getItemIdAsync", async () => {
    const office = outlookWith({
      itemType: "message", conversationId: "c3",
      subject: { getAsync: answers("Draft subject") },
      to: { getAsync: answers([alice]) },
      from: { getAsync: answers(me) },
      getItemIdAsync: answers("saved-id"),
      categories: categories(),
    });
    const item = await readCurrentItem(office);
    expect(item).toMatchObject({ kind: "message", mode: "compose", subject: "Draft subject", sentByMe: true, itemId: "saved-id", conversationId: "c3" });
    expect(proposeParties(item)).toEqual({ customer: "me", performer: "alice@contoso.test" });
  });

  it("treats an unsaved compose item as having no id rather than failing", async () => {
    const office = outlookWith({
      itemType: "message", conversationId: "",
      subject: { getAsync: answers("") }, to: { getAsync: answers([]) },
      getItemIdAsync: (cb: (r: unknown) => void) => cb({ status: "failed", error: { message: "not saved" } }),
    });
    const item = await readCurrentItem(office);
    expect(item).toMatchObject({ mode: "compose", itemId: undefined, conversationId: undefined });
    expect(itemKeyOf(item!)).toBeNull();
  });

  it("reads a meeting as its organizer: start and end through getAsync", async () => {
    const start = new Date("2026-12-01T09:00:00Z");
    const end = new Date("2026-12-01T10:00:00Z");
    const office = outlookWith({
      itemType: "appointment",
      subject: { getAsync: answers("Budget Q2") }, start: { getAsync: answers(start) }, end: { getAsync: answers(end) },
      getItemIdAsync: answers("appt-1"), categories: categories(),
    });
    const item = await readCurrentItem(office);
    expect(item).toMatchObject({ kind: "appointment", mode: "organizer", subject: "Budget Q2", start, end, itemId: "appt-1" });
    expect(itemKeyOf(item!)).toBe("event:appt-1");
  });

  it("reads a meeting as an attendee: plain properties and a REST id", async () => {
    const start = new Date("2026-12-02T09:00:00Z");
    const office = outlookWith({ itemType: "appointment", subject: "Review", start, end: start, itemId: "ews-appt" });
    const item = await readCurrentItem(office);
    expect(item).toMatchObject({ kind: "appointment", mode: "attendee", subject: "Review", start, itemId: "rest:ews-appt" });
    expect(proposeParties(item)).toEqual({ customer: "me", performer: "" });
  });

  it("has no item outside Office", async () => {
    expect(await readCurrentItem(undefined)).toBeNull();
    expect(await whenOfficeReady(undefined)).toBeNull();
  });

  it("knows the host once Office is ready, and null when Office answers with no host", async () => {
    expect(await whenOfficeReady(outlookWith({ itemType: "message" }))).toBe("Outlook");
    const plainPage = { onReady: async () => ({ host: null, platform: null }) } as unknown as typeof Office;
    expect(await whenOfficeReady(plainPage)).toBeNull();
  });
});

describe("tagging the item with its quadrant (Mailbox 1.8)", () => {
  it("creates the master category if missing, drops the other quadrants' tags and adds this one", async () => {
    const added: unknown[] = [];
    const removed: unknown[] = [];
    const master: unknown[] = [];
    const office = outlookWith({
      itemType: "appointment", subject: "s", itemId: "i",
      categories: {
        getAsync: answers([{ displayName: "Workflow Q1 · Listen", color: "Preset7" }, { displayName: "Personal", color: "Preset0" }]),
        addAsync: (names: string[], cb: (r: unknown) => void) => { added.push(...names); cb({ status: "succeeded" }); },
        removeAsync: (names: string[], cb: (r: unknown) => void) => { removed.push(...names); cb({ status: "succeeded" }); },
      },
    }, {
      masterCategories: {
        getAsync: answers([]),
        addAsync: (cats: unknown[], cb: (r: unknown) => void) => { master.push(...cats); cb({ status: "succeeded" }); },
      },
    });
    await tagCurrentItem("Q4", office);
    expect(master).toEqual([{ displayName: "Workflow Q4 · Assess", color: "Preset1" }]);
    expect(removed).toEqual(["Workflow Q1 · Listen"]);
    expect(added).toEqual(["Workflow Q4 · Assess"]);
  });

  it("does not create a master category that exists", async () => {
    let created = false;
    const office = outlookWith({
      itemType: "message", subject: "s",
      categories: { getAsync: answers([]), addAsync: (_: string[], cb: (r: unknown) => void) => cb({ status: "succeeded" }), removeAsync: () => undefined },
    }, {
      masterCategories: {
        getAsync: answers([{ displayName: "Workflow Q2 · Negotiate", color: "Preset3" }]),
        addAsync: () => { created = true; },
      },
    });
    await tagCurrentItem("Q2", office);
    expect(created).toBe(false);
  });
});
