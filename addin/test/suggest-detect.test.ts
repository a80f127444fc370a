import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { detect, suggest } from "../src/suggest/detect";

const friday = new Date("2026-12-04T09:30:00Z"); // Friday 4 December 2026
const on = (sentence: string, sent = friday, timeZone = "Europe/Amsterdam") => detect(sentence, sent, timeZone);

describe("the move a sentence makes", () => {
  it.each([
    ["Could you send me the Q3 numbers by Friday?", "request", "2026-12-11"],
    ["I'll get the revised quote over to you by Monday.", "promise", "2026-12-07"],
    ["I'm afraid we can't take this on.", "decline", null],
    ["I've uploaded the final report to the shared drive.", "done", null],
    ["Friday is tight, how about Tuesday?", "counter", "2026-12-08"],
    ["Hope you had a lovely weekend!", "none", null],
  ])("%s → %s", (sentence, kind, dueBy) => {
    expect(on(sentence)).toEqual({ kind, dueBy });
  });

  it("makes none of newsletters, narration, hypotheticals and questions that ask nothing to be done", () => {
    for (const sentence of [
      "Register now and save 20% on your pass!", "Last week I asked Sam to send the numbers.",
      "If you send me the file I could build the chart.", "Did you enjoy the conference?", "I'll be in Madrid next week.",
    ]) expect(on(sentence).kind).toBe("none");
  });
});

describe("the day a move is due", () => {
  it("reads a Friday mail's 'by Friday' as next week's, and weeks as ending on Friday", () => {
    expect(on("Please send it by Friday.").dueBy).toBe("2026-12-11");
    expect(on("I'll have it done by the end of the week.").dueBy).toBe("2026-12-04");
    expect(on("I'll have it done next week.").dueBy).toBe("2026-12-11");
    expect(on("Can you do it early next week?").dueBy).toBe("2026-12-07");
  });

  it("reads 'the 15th' as the next 15th, and a date in December as next year's once December has passed", () => {
    expect(on("Please return it by the 15th.").dueBy).toBe("2026-12-15");
    expect(on("Please return it by the 3rd.").dueBy).toBe("2027-01-03");
    expect(on("I'll send it on 8 January.").dueBy).toBe("2027-01-08");
  });

  it("counts the day in the reader's time zone: late on Friday in UTC is already Saturday in Amsterdam", () => {
    const late = new Date("2026-12-04T23:30:00Z");
    expect(on("Can you send it tomorrow?", late, "Europe/Amsterdam").dueBy).toBe("2026-12-06");
    expect(on("Can you send it tomorrow?", late, "America/New_York").dueBy).toBe("2026-12-05");
  });

  it("gives a counter the day it proposes, not the one it turns down", () => {
    expect(on("Would the 14th work instead of the 10th?").dueBy).toBe("2026-12-14");
    expect(on("I can't do Thursday, would Monday the 14th work?").dueBy).toBe("2026-12-14");
    expect(on("I can do the review, but not before the 21st.").dueBy).toBe("2026-12-21");
  });

  it("prefers the day after 'by' to another day the sentence names, and 'EOD' gives way to the day it qualifies", () => {
    expect(on("Can you update the deck before Monday's standup?").dueBy).toBe("2026-12-07");
    expect(on("Please send me your slides for tomorrow's workshop tonight.").dueBy).toBe("2026-12-04");
    expect(on("Please revert by tomorrow EOD.").dueBy).toBe("2026-12-05");
  });
});

describe("the moves of a whole mail", () => {
  const body = [
    "Hi Bob,", "", "Hope you had a good week! Could you send me the Q3 numbers by Friday?",
    "I'll review them over the weekend and share my comments on Monday.", "",
    "Best regards,", "Alice", "", "On Thu, 3 Dec 2026 at 09:00, Bob <bob@contoso.test> wrote:",
    "> I can have the numbers ready by Wednesday.",
  ].join("\n");

  it("finds them in the order written, each quoting its sentence with the task and the day, and nothing from the quote or signature", () => {
    expect(suggest(body, friday, "Europe/Amsterdam")).toEqual([
      { kind: "request", dueBy: "2026-12-11", quote: "Could you send me the Q3 numbers by Friday?", task: "Send the Q3 numbers" },
      { kind: "promise", dueBy: "2026-12-07", quote: "I'll review them over the weekend and share my comments on Monday.", task: "Review them over the weekend and share my comments" },
    ]);
  });

  it("finds nothing in a mail that makes no move", () => {
    expect(suggest("Thanks for the lovely dinner!\n\nSee you soon,\nAlice", friday)).toEqual([]);
  });
});

describe("scripts/suggest.mjs", () => {
  const script = fileURLToPath(new URL("../scripts/suggest.mjs", import.meta.url));
  const run = (args: string[], input: string) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [script, ...args], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    child.stdin!.end(input);
  });

  it("prints one JSON line per input line: the kind and the due day, read against --sent", async () => {
    const { code, stdout } = await run(["--sent", "2026-12-04"], "Could you send me the Q3 numbers by Friday?\n\nFriday is tight, how about Tuesday?\nThanks!\n");
    expect(code).toBe(0);
    expect(stdout.trim().split("\n").map((l) => JSON.parse(l))).toEqual([
      { kind: "request", dueBy: "2026-12-11" }, { kind: "none", dueBy: null }, { kind: "counter", dueBy: "2026-12-08" }, { kind: "none", dueBy: null },
    ]);
  }, 30_000);

  it("reads an instant's day in --tz, and refuses a --sent it cannot read", async () => {
    const late = await run(["--sent", "2026-12-04T23:30:00Z", "--tz", "Europe/Amsterdam"], "Can you send it tomorrow?\n");
    expect(JSON.parse(late.stdout)).toEqual({ kind: "request", dueBy: "2026-12-06" });
    const wrong = await run(["--sent", "next Friday"], "");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("--sent needs a date");
  }, 30_000);
});
