import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detect, type Kind } from "../src/suggest/detect";

// The detector measured on sentences written the way people write mail (test/suggest/*.tsv, conventions in the
// tuning file's header). The rules were tuned on tuning.tsv only; holdout.tsv was written first and kept apart.

interface Line { kind: Kind; dueBy: string | null; text: string; got: { kind: Kind; dueBy: string | null } }
const KINDS: Kind[] = ["request", "promise", "decline", "done", "counter"];

function corpus(file: string): Line[] {
  let sent: Date | undefined;
  return readFileSync(new URL(`suggest/${file}`, import.meta.url), "utf8").split("\n").flatMap((row): Line[] => {
    const day = /^# sent: (\d{4}-\d{2}-\d{2})/.exec(row)?.[1];
    if (day) sent = new Date(`${day}T12:00:00Z`);
    if (!row.trim() || row.startsWith("#")) return [];
    const [kind, dueBy, text] = row.split("\t") as [Kind, string, string];
    return [{ kind, dueBy: dueBy === "-" ? null : dueBy, text, got: detect(text, sent!, "UTC") }];
  });
}

const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);
const two = (n: number) => n.toFixed(2);

function figures(lines: Line[]) {
  const suggested = lines.filter((l) => l.got.kind !== "none");
  const labelled = lines.filter((l) => l.kind !== "none");
  const perKind = Object.fromEntries(KINDS.map((k) => {
    const s = lines.filter((l) => l.got.kind === k), l = lines.filter((x) => x.kind === k);
    return [k, { precision: ratio(s.filter((x) => x.kind === k).length, s.length), recall: ratio(l.filter((x) => x.got.kind === k).length, l.length), labelled: l.length, suggested: s.length }];
  })) as Record<Kind, { precision: number; recall: number; labelled: number; suggested: number }>;
  const dated = lines.filter((l) => l.dueBy && l.got.kind === l.kind);
  return {
    precision: ratio(suggested.filter((l) => l.got.kind === l.kind).length, suggested.length),
    recall: ratio(labelled.filter((l) => l.got.kind === l.kind).length, labelled.length),
    perKind, dates: ratio(dated.filter((l) => l.got.dueBy === l.dueBy).length, dated.length), datedLines: dated.length,
  };
}

function report(lines: Line[], which: string) {
  const f = figures(lines);
  console.log([
    `suggestions: precision ${two(f.precision)}, recall ${two(f.recall)} on ${lines.length} sentences${which}`,
    ...KINDS.map((k) => `  ${k.padEnd(8)} precision ${two(f.perKind[k].precision)}, recall ${two(f.perKind[k].recall)} (${f.perKind[k].labelled} labelled, ${f.perKind[k].suggested} suggested)`),
    `  due dates right on ${Math.round(f.dates * 100)}% of the ${f.datedLines} rightly kinded lines that name one`,
  ].join("\n"));
  return f;
}

describe.each([["tuning.tsv", ""], ["holdout.tsv", " (held out)"]])("the detector on %s", (file, which) => {
  const lines = corpus(file);
  const f = report(lines, which);

  it("is a corpus of mail sentences, at least half of them moving nothing", () => {
    expect(lines.filter((l) => l.kind === "none").length * 2).toBeGreaterThanOrEqual(lines.length);
    for (const k of KINDS) expect(f.perKind[k].labelled).toBeGreaterThan(0);
  });

  it("is right about at least nine in ten of the moves it suggests", () => {
    expect(f.precision).toBeGreaterThanOrEqual(0.9);
  });

  it("finds at least seven in ten of the requests and of the promises", () => {
    expect(f.perKind.request.recall).toBeGreaterThanOrEqual(0.7);
    expect(f.perKind.promise.recall).toBeGreaterThanOrEqual(0.7);
  });

  it("resolves the day named to the labelled one on at least nine in ten rightly kinded lines", () => {
    expect(f.dates).toBeGreaterThanOrEqual(0.9);
  });
});

it("the held-out set is a quarter of the corpus", () => {
  const held = corpus("holdout.tsv").length, tuning = corpus("tuning.tsv").length;
  expect(held / (held + tuning)).toBeGreaterThanOrEqual(0.24);
  expect(held + tuning).toBeGreaterThanOrEqual(500);
});
