// The network picture of one person's workflows (issue 15): me in the centre, the people I work with on a circle
// around me, one edge per direction (customer → performer) between us. Pure layout — numbers in, shapes out — so it
// is tested without a DOM; the view draws it as hand-written SVG. No graph library: a circle needs none.

/** What a line of my lists says about one workflow, as much as the picture needs. */
export interface NetworkLine {
  readonly counterpart: string;
  readonly yourRole: "customer" | "performer";
  readonly quadrant: "Q1" | "Q2" | "Q3" | "Q4" | "closed";
  readonly overdue: boolean;
}

export type Quadrant = NetworkLine["quadrant"];

/** One direction between me and a person: who asks whom, how many, mostly where, any at risk. */
export interface NetworkEdge {
  readonly from: "me" | "them";
  readonly count: number;
  readonly byQuadrant: Readonly<Record<Quadrant, number>>;
  readonly dominant: Quadrant;
  readonly atRisk: boolean;
  /** Stroke width, 1.5 to 8, growing with the square root of the count. */
  readonly width: number;
}

export interface NetworkPerson {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly total: number;
  /** I am the customer: they perform for me ("you ask them"). */
  readonly youAsk?: NetworkEdge;
  /** They are the customer: I perform for them ("they ask you"). */
  readonly theyAsk?: NetworkEdge;
  readonly atRisk: boolean;
}

export interface NetworkLayout {
  readonly size: number;
  readonly centre: { readonly x: number; readonly y: number };
  readonly people: readonly NetworkPerson[];
  readonly workflows: number;
}

const QUADRANTS: readonly Quadrant[] = ["Q1", "Q2", "Q3", "Q4", "closed"];

/** Lays out every line: people sorted by how many workflows we share (most first, clockwise from the top), then by name. */
export function layoutNetwork(lines: readonly NetworkLine[], size = 480): NetworkLayout {
  const byPerson = new Map<string, { youAsk: NetworkLine[]; theyAsk: NetworkLine[] }>();
  for (const line of lines) {
    const entry = byPerson.get(line.counterpart) ?? { youAsk: [], theyAsk: [] };
    (line.yourRole === "customer" ? entry.youAsk : entry.theyAsk).push(line);
    byPerson.set(line.counterpart, entry);
  }
  const ordered = [...byPerson.entries()]
    .map(([name, e]) => ({ name, ...e, total: e.youAsk.length + e.theyAsk.length }))
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  const centre = { x: size / 2, y: size / 2 };
  const radius = size / 2 - 40;
  const people = ordered.map((p, i): NetworkPerson => {
    const angle = (2 * Math.PI * i) / Math.max(1, ordered.length) - Math.PI / 2;
    const youAsk = edge("me", p.youAsk);
    const theyAsk = edge("them", p.theyAsk);
    return {
      name: p.name,
      x: round(centre.x + radius * Math.cos(angle)),
      y: round(centre.y + radius * Math.sin(angle)),
      total: p.total,
      ...(youAsk ? { youAsk } : {}),
      ...(theyAsk ? { theyAsk } : {}),
      atRisk: Boolean(youAsk?.atRisk || theyAsk?.atRisk),
    };
  });
  return { size, centre, people, workflows: lines.length };
}

function edge(from: "me" | "them", lines: readonly NetworkLine[]): NetworkEdge | undefined {
  if (lines.length === 0) return undefined;
  const byQuadrant = Object.fromEntries(QUADRANTS.map((q) => [q, 0])) as Record<Quadrant, number>;
  for (const line of lines) byQuadrant[line.quadrant] += 1;
  // The open quadrants win a tie over closed: the picture is about what is still in play.
  const dominant = QUADRANTS.reduce((best, q) => (byQuadrant[q] > byQuadrant[best] ? q : best), "closed" as Quadrant);
  return {
    from,
    count: lines.length,
    byQuadrant,
    dominant,
    atRisk: lines.some((l) => l.overdue),
    width: round(Math.min(8, 1.5 + Math.sqrt(lines.length - 1))),
  };
}

/** Roving focus: the person an arrow key moves to from index `at` (wrapping), or `at` for any other key. */
export function nextPerson(at: number, key: string, count: number): number {
  if (count === 0) return 0;
  if (key === "ArrowRight" || key === "ArrowDown") return (at + 1) % count;
  if (key === "ArrowLeft" || key === "ArrowUp") return (at - 1 + count) % count;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return at;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
