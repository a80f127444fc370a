// @vitest-environment happy-dom
// The weekly review as a page: the digest mail's sections, in its order and words, each line opening its workflow.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ApiClient, type Review, type ReviewItem } from "../src/api/client";
import { App } from "../src/ui/app";
import { REVIEW_EMPTY, REVIEW_SECTIONS } from "../src/ui/labels";
import { json, workflow } from "./fixtures";

const digest = readFileSync(resolve(import.meta.dirname, "../../functions/Workflow.Application/Review/DigestContent.cs"), "utf8");

describe("the review's words are the digest mail's", () => {
  it("same sections, order, titles and hints as DigestContent.cs", () => {
    const inMail = [...digest.matchAll(/\[ReviewSection\.(\w+)\]\s*=\s*\("((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"\)/g)]
      .map(([, section, title, hint]) => ({ id: section!.charAt(0).toLowerCase() + section!.slice(1), title, hint }));
    expect(inMail.length).toBeGreaterThan(0);
    expect(REVIEW_SECTIONS).toEqual(inMail);
  });

  it("the same words when nothing is in it", () => {
    expect(digest).toContain(`<p>${REVIEW_EMPTY}</p>`);
  });
});

const item = (over: Partial<ReviewItem>): ReviewItem => ({
  section: "waitingOnOthers", id: "0123456789abcdef0123456789abcdef", concern: "A concern", yourRole: "customer",
  state: "promised", stateLabel: "Promised", counterpart: "Bob", overdue: false, waitingDays: 0, ...over,
});
const review = (items: ReviewItem[]): Review => ({ week: "2026-W48", timeZone: "Europe/Berlin", from: "2026-11-23T00:00:00Z", to: "2026-11-30T00:00:00Z", items });

async function showReview(body: Review) {
  const root = document.createElement("div");
  const fetch = vi.fn<typeof globalThis.fetch>(async (input) => {
    const url = String(input);
    if (url === "/api/review") return json(200, body);
    if (url.startsWith("/api/workflows/")) return json(200, workflow({ id: url.slice(-32) }), { ETag: '"3"' });
    return json(200, { items: [] });
  });
  const app = new App(root, { itemKeyOf: () => null, tagItem: async () => undefined });
  app.setItem(null, null);
  await app.signedIn(new ApiClient({ baseUrl: "", token: async () => "t", fetch }), "alice@contoso.test");
  root.querySelector<HTMLElement>('nav fluent-button[data-page="review"]')!.click();
  await vi.waitFor(() => expect(root.querySelector("section.review fluent-spinner")).toBeNull());
  return { root, fetch };
}

describe("the review page", () => {
  it("is reached from the navigation and lists its sections in the mail's order, overdue marked in words", async () => {
    const { root } = await showReview(review([
      item({ section: "dueForAssessment", concern: "Board pack", state: "reported", stateLabel: "Done — ready for review", by: "2026-11-20T17:00:00Z", overdue: true }),
      item({ section: "myPromisesDue", concern: "Venue", yourRole: "performer", counterpart: "Alice", by: "2026-11-27T17:00:00Z" }),
      item({ section: "waitingOnOthers", concern: "Minutes", waitingDays: 4 }),
    ]));
    expect(root.querySelector('nav fluent-button[data-page="review"]')!.getAttribute("aria-current")).toBe("page");
    expect([...root.querySelectorAll(".review-section h3")].map((h) => h.textContent)).toEqual([
      "Waiting for your assessment (1)", "Your promises due this week (1)", "Waiting on others (1)",
    ]);
    expect([...root.querySelectorAll(".review-section .hint")].map((p) => p.textContent)[0]).toBe("Work reported done to you. Are you satisfied?");
    const rows = [...root.querySelectorAll("button.review-row")].map((r) => r.textContent!.replace(/\s+/g, " ").trim());
    expect(rows[0]).toContain("Board pack for you, by Bob · ⚠ overdue since ");
    expect(root.querySelector("button.review-row .overdue")!.textContent).toContain("overdue since");
    expect(rows[1]).toContain("you for Alice · by ");
    expect(rows[2]).toContain("for you, by Bob · waiting 4 days");
  });

  it("each line opens its workflow's card", async () => {
    const other = "fedcba9876543210fedcba9876543210";
    const { root, fetch } = await showReview(review([item({ id: other })]));
    root.querySelector<HTMLElement>("button.review-row")!.click();
    await vi.waitFor(() => expect(root.querySelector("article.card")).not.toBeNull());
    expect(fetch.mock.calls.map(([url]) => String(url))).toContain(`/api/workflows/${other}`);
  });

  it("a move made on a card opened from it reads the review again", async () => {
    const { root, fetch } = await showReview(review([item({ section: "waitingOnMyAnswer" })]));
    const reviews = () => fetch.mock.calls.filter(([url]) => String(url) === "/api/review").length;
    expect(reviews()).toBe(1);
    root.querySelector<HTMLElement>("button.review-row")!.click();
    await vi.waitFor(() => expect(root.querySelector('[data-move="promise"]')).not.toBeNull());
    (root.querySelector('[data-move="promise"]') as HTMLElement).click();
    await vi.waitFor(() => expect(reviews()).toBe(2));
  });

  it("lists the meetings of the week that had a purpose, and says when nothing came out of one", async () => {
    const { root } = await showReview({
      ...review([item({ concern: "Minutes" })]),
      meetingsHeld: [
        { subject: "Pricing", start: "2026-11-24T10:00:00Z", purpose: "Q2", moves: 2, words: "2 moves came out of it" },
        { subject: "Weekly sync", start: "2026-11-25T09:00:00Z", purpose: "Q2", moves: 0, words: "no promise came out of it" },
        { subject: null, start: "2026-11-26T09:00:00Z", purpose: "Q4", moves: 0, words: "nothing was assessed in it" },
      ],
    });
    expect(root.querySelector(".meetings-held h3")!.textContent).toBe("Meetings this week (3)");
    const lines = [...root.querySelectorAll(".meeting-held")].map((l) => l.textContent!.replace(/\s+/g, " ").trim());
    expect(lines[0]).toContain("Pricing");
    expect(lines[0]).toContain("2 moves came out of it");
    expect(lines[1]).toContain("no promise came out of it");
    expect(lines[2]).toContain("A meeting");
    expect(lines[2]).toContain("nothing was assessed in it");
  });

  it("says nothing of meetings where no calendar can be read", async () => {
    const { root } = await showReview({ ...review([item({ concern: "Minutes" })]), meetingsHeld: null });
    expect(root.querySelector(".meetings-held")).toBeNull();
  });

  it("says so in plain words when nothing is in it", async () => {
    const { root } = await showReview(review([]));
    expect(root.querySelector("section.review .empty")!.textContent).toBe("Nothing is waiting on you or on others this week.");
    expect(root.querySelectorAll(".review-section")).toHaveLength(0);
  });
});
