// Finds the sentences of a mail that make a move on its reader — a request, a promise, a decline, a report of
// completion, a counter-proposal — and the day each one names. Pure: no Office, no DOM, no network; the pane loads it
// lazily and runs it on the body it read, which never leaves the client.
import { casual } from "chrono-node/en";
import { ownText, sentences } from "./body";

export type Kind = "request" | "promise" | "decline" | "done" | "counter" | "none";
export interface Detected { kind: Kind; dueBy: string | null }
/** A sentence that makes a move: as written (`quote`), and what it asks or promises, shortened (`task`). */
export interface Found extends Detected { quote: string; task: string }

/** Newsletters, automated notices, hypotheticals, FYIs: text that makes no move, whatever its verbs. */
const NO_MOVE = /\b(unsubscri|newsletter|webinar|mailing list|subscri|sign up|click|browser|learn more|read more|shop|sale\b|% off|deals?\b|free trial|limited time|terms and conditions|do not reply|automatically|privacy|confidential|intended solely|follow us|save the date|don't miss|book your|(would|could|should) have (been|known|had|[a-z]+(ed|en|wn)\b)|would've|could've|all (our )?customers|customers who|if only|in an ideal world|in theory|for reference|in case it's useful)/;
const NO_MOVE_START = /^(if|should|unless|assuming|in case|in the event|were|had|provided|fyi|just so you|just to let you know|heads[- ]up|just a heads|by the way|btw|in case you missed|ideally|not sure|i doubt)\b/;

/** Other terms proposed; a counter also names a day. */
const COUNTER = /\b(how about|what about|what if (i|we)|instead|rather than|i'd rather (?!not)|(could|can|shall) we (push|move|postpone|shift|say|do|aim|make it|reschedule|go for)|(push|postpone|move|shift|reschedule) (it|this|that|the \w+)( back)? (to|until)|(need|have|take) until|not before|(won't|not) be before|but only|tight|too (early|soon|late)|no good|isn't realistic|not realistic|is difficult|(won't|doesn't|wouldn't) work|won't manage|not possible for me|would [^,]{1,40} (work|do)( for you)?\?|but .* would work)/;
const DECLINE = /\b((i|we) (really )?(can't|cannot|can not)|won't be able|will not be able|not (be )?able to|unable to|not going to be able|(have to|must|'ll have to) (pass|decline|say no)|to decline\b|(will|'ll|going to) pass\b|pass on (this|that|the)|not in a position to|don't have the (bandwidth|capacity|time)|rather not|decided not to|not possible|won't be possible|not something (we|i) can|won't be joining|won't make it|not going to happen|(i'm|i am|we're|we are) not available)/;
const NOT_DECLINE = /\b(can't|cannot) (wait|believe|thank|imagine)/;
const REQUEST = /\b(can|could|would) (you|u)\b(?! (like|believe|imagine|guess))|\b(do you mind|would it be possible|would you be able|i'd like you to|i would like you to)\b|(^|, )(please|pls|plz|kindly)\b(?! (note|be aware|be advised|see|find|do not|don't hesitate|feel free|consider|accept (our|my)))|\b(i|we)('d)? need (you to|your|the|a|an|it|them|this|that)\b|\b(i'd|i would) (appreciate|be grateful)|\bit would be (great|helpful|really helpful|good|nice) if you|would be (much |greatly |really )?appreciated|^(make sure|remember to|don't forget|do not forget|send|review|sign|fill|submit|update|share|confirm|check|book|approve|forward|call|prepare|return|upload|get|ping|chase|arrange|organi[sz]e|draft|complete|provide|fix|go through|schedule|set up)\b|\breminder (that|to)\b|\b(any chance|hoping|think|wondering if|wonder if) you could\b|\b(can|could) (somebody|someone|anyone|anybody)\b|\b(could|can|may) i ask you to\b|\blet me know (by|before)\b|\byou (need|have|must|'ll need|will need) to\b/;
const PROMISE = /\b(i|we)('ll| will| shall) (?!be\b|never\b|admit\b|assume\b|have to\b|keep you\b|let you know (if|when|whether)\b)|\b(i|we)('ll| will) be (sure|happy|glad) to\b|\b(i'm|i am|we're|we are) going to (?!be\b|pass\b)|\b(i|we) can (have|get|send|do|take|deliver|cover|bring|make|give|sort|handle|look)\b|\byou'll (have|get) (it|them|my|the|a|an)\b|\b(will do|leave it with me|consider it done|i'm on it|count me in|i promise|you can count on)|^on it\b|\bexpect\b.*\bfrom me\b|(^|, )(will|shall) (get|send|do|have|update|check|look|call|follow|share|review|fix)\b|\blet me (check|look|dig|take|get back|find out|handle|sort)|\bshould have (something|it|the|them|a|an|your|my|this|that)\b|\b(i|we) (plan|intend|aim|hope|expect) to\b|(^|, )will be (done|ready|finished|with you)\b|\b(it|this|that)('ll| will) be (done|ready|finished|with you)\b|\b(i'm|we're|i am|we are) working on it\b/;
const DONE = /^(done|sent|all done|all sorted|sorted|finished)([!.,–—-]|$)|^(just )?(finished|pushed|uploaded|submitted|fixed|deployed|sent) (the|it|my|your|a|an|them|you)\b|^[\w' -]{1,30} (sent|done|booked|paid|fixed|signed|submitted)[.!]?$|\b(i|we)('ve| have)( just| now| finally| already)? (sent|shared|uploaded|updated|booked|completed|finished|submitted|closed|transferred|forwarded|reviewed|signed|fixed|merged|deployed|added|filed|paid|processed|set up|created|published|scheduled|resolved|returned|approved|ordered|done|attached|put|placed|saved|copied|raised|sorted|handled|arranged|organi[sz]ed|invited|informed|notified|emailed|replied|confirmed|taken care)\b|\b(i|we) (just )?(sent|submitted|finished|completed|uploaded|pushed|shared|booked|fixed|transferred|forwarded|deployed|updated)\b|(\b(is|are|has been|have been)|'s)( now| all| just| finally)? (attached|done|complete|completed|finished|sent|signed|booked|paid|deployed|fixed|set up|processed|reactivated|sorted|uploaded|published|merged|resolved|live|ready)\b|\b(was|were) (made|sent|paid|done|signed|processed|completed)\b.*\b(this morning|today|just now|overnight|yesterday)|find (it |them )?(attached|below)|attached (is|are|you'll find)|^here('s| is| are) (the|your|my|a)\b|got (a)?round to|went through|(went|gone) out\b|^(took care of|sorted|handled|fixed) (it|this|that)\b|\b(i|we) took care of\b/;
/** Narration of what happened before: a done-sounding verb that reports no completion now. */
const EARLIER_TIMES = /\blast (time|week|month|year)\b|\bago\b/;

/** The move a sentence makes, from its words alone (a counter needs the day it proposes: `dated`). */
function kindOf(s: string, dated: boolean): Kind {
  if (NO_MOVE.test(s) || NO_MOVE_START.test(s)) return "none";
  if (dated && COUNTER.test(s)) return "counter";
  if (DECLINE.test(s) && !NOT_DECLINE.test(s)) return "decline";
  if (REQUEST.test(s)) return "request";
  if (PROMISE.test(s)) return "promise";
  if (DONE.test(s) && !EARLIER_TIMES.test(s)) return "done";
  return "none";
}

const DAY_MS = 86_400_000;
const addDays = (day: Date, n: number) => new Date(day.getTime() + n * DAY_MS);
const mondayOf = (day: Date) => addDays(day, -((day.getUTCDay() + 6) % 7));

/** A day named in a sentence: where (in the text), and which (midnight UTC of that calendar day). */
interface Named { at: number; end: number; day: Date; how?: How }
/** `weak`: "EOD" qualifies another day when there is one; `date`: a day of the month, which a weekday before it gives way to. */
type How = "weak" | "date";

const NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, ten: 10 };

/** Ways mail names days that chrono-node reads otherwise (weeks end on Friday here) or not at all. */
const OWN_DAYS: [RegExp, (sent: Date, m: RegExpMatchArray) => Date | undefined, How?][] = [
  [/\b(end of (the )?day|eod|cob|close of business|end of business)\b/g, (sent) => sent, "weak"],
  [/\b(end of (the |this )?week|this week|by the weekend)\b/g, (sent) => addDays(mondayOf(sent), 4)],
  [/\b(by|early|beginning of|start of) next week\b/g, (sent) => addDays(mondayOf(sent), 7)],
  [/\b(end of )?next week\b/g, (sent) => addDays(mondayOf(sent), 11)],
  [/\b(in|within) (\d+|\w+) (working|business) days\b/g, (sent, m) => {
    let left = Number(m[2]) || NUMBERS[m[2]!] || 0, day = sent;
    while (left > 0) { day = addDays(day, 1); if (day.getUTCDay() % 6 !== 0) left--; }
    return day;
  }],
  // "the 15th": the next 15th on or after the sent day. Not "the 3rd floor".
  [/\b(the )?(\d{1,2})(st|nd|rd|th)\b(?! (of )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|floor|time|round|quarter|place|century|edition))/g, (sent, m) => {
    const date = Number(m[2]);
    const month = sent.getUTCMonth() + (date < sent.getUTCDate() ? 1 : 0);
    const day = new Date(Date.UTC(sent.getUTCFullYear(), month, date));
    return day.getUTCDate() === date ? day : undefined;
  }, "date"],
];

/** Every day the sentence names, in order; `s` is lower case. */
function namedDays(s: string, sent: Date): Named[] {
  const own: Named[] = [];
  for (const [pattern, resolve, how] of OWN_DAYS) {
    for (const m of s.matchAll(pattern)) {
      const day = resolve(sent, m);
      const at = m.index, end = at + m[0].length;
      if (day && !own.some((o) => at < o.end && end > o.at)) own.push({ at, end, day, ...(how ? { how } : {}) });
    }
  }
  // chrono-node reads the rest in the reader's calendar: a reference at noon of the sent day, days read off its
  // components, so no time zone can move a date across midnight.
  const reference = new Date(sent.getUTCFullYear(), sent.getUTCMonth(), sent.getUTCDate(), 12);
  const read: Named[] = casual.parse(s, reference, { forwardDate: true }).flatMap((r) => {
    const at = r.index, end = at + r.text.length;
    let day = new Date(Date.UTC(r.start.get("year")!, r.start.get("month")! - 1, r.start.get("day")!));
    // A Friday mail's "by Friday" is next week's.
    if (!r.start.isCertain("day") && r.start.isCertain("weekday") && +day === +sent && !/this\s+$/.test(s.slice(0, at))) day = addDays(day, 7);
    return [{ at, end, day }];
  });
  const days = [
    // Ours, unless chrono-node read a longer phrase around it ("Tuesday next week", "December 2nd").
    ...own.filter((o) => !read.some((r) => r.at <= o.at && r.end >= o.end && r.end - r.at > o.end - o.at)),
    // chrono-node's, unless ours reads that phrase; a weekday right before a date ("Friday the 18th") gives way to it.
    ...read.filter((r) => !own.some((o) => r.at < o.end && r.end > o.at && o.end - o.at >= r.end - r.at)
      && !own.some((o) => o.how === "date" && o.at >= r.end && o.at - r.end <= 5)),
  ];
  return days.sort((a, b) => a.at - b.at);
}

const DEADLINE_BEFORE = /\b(by|before|until|till|no later than|latest|ahead of|due( on)?)\s+(the\s+)?(end of\s+)?$/;

/**
 * The day a move is due: for a counter, the day it proposes (not one it turns down: "Friday is tight", "instead of the
 * 10th"); else the one after "by", "before"…, or the last one named ("tonight … tomorrow"), other than "Monday's".
 */
function dueOf(s: string, kind: Kind, days: Named[]): Date | undefined {
  const strong = days.filter((d) => d.how !== "weak");
  if (strong.length === 0) return days[0]?.day;
  if (kind === "counter") {
    const proposed = strong.filter((d) => {
      const from = Math.max(s.lastIndexOf(",", d.at), s.lastIndexOf(";", d.at), s.lastIndexOf("—", d.at), s.lastIndexOf("–", d.at), 0);
      const before = s.slice(from, d.at), after = s.slice(d.end).split(/[,;?!—–]/)[0]!;
      if (/(not|n't)( be)? (before|until)\s+(the\s+)?$/.test(before)) return true;
      return !/\b(instead of|rather than|than|can't|cannot|won't|not)\b/.test(before)
        && !/^('s|\s+is)?\s*(a bit |too |very )?(tight|early|difficult|no good)|^\s+(is not|isn't|won't|doesn't)\b/.test(after);
    });
    return (proposed.at(-1) ?? strong.at(-1))!.day;
  }
  const deadline = strong.find((d) => DEADLINE_BEFORE.test(s.slice(Math.max(0, d.at - 25), d.at)));
  return (deadline ?? strong.filter((d) => !s.startsWith("'s", d.end)).at(-1) ?? strong.at(-1))!.day;
}

/** The calendar day on which the mail was sent, where the reader is. */
export function sentDay(sent: Date, timeZone?: string): Date {
  const [y, m, d] = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(sent).split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!));
}

/** Lower case, straight apostrophes and a common typo, keeping every character where it was. */
const normal = (sentence: string) => {
  const lower = sentence.toLowerCase();
  return (lower.length === sentence.length ? lower : sentence).replace(/[’‘]/g, "'").replace(/\btommorow\b/g, "tomorrow");
};

function detectIn(sentence: string, sent: Date): Detected & { days: Named[]; due: Date | undefined } {
  const s = normal(sentence);
  // Days are only read where they can matter: a likely counter, a request, a promise.
  const days = COUNTER.test(s) || REQUEST.test(s) || PROMISE.test(s) ? namedDays(s, sent) : [];
  const kind = kindOf(s, days.some((d) => d.how !== "weak"));
  const due = kind === "request" || kind === "promise" || kind === "counter" ? dueOf(s, kind, days) : undefined;
  return { kind, dueBy: due ? due.toISOString().slice(0, 10) : null, days, due };
}

/** The move one sentence makes and the day it is due by, read against the day the mail was sent where the reader is. */
export function detect(sentence: string, sent: Date, timeZone?: string): Detected {
  const { kind, dueBy } = detectIn(sentence, sentDay(sent, timeZone));
  return { kind, dueBy };
}

const LEAD = /^((hi|hello|hey|dear) [^,]{1,30}, |(ok|okay|sure( thing)?|yes|noted|of course|no (problem|worries)|happy to help|will do|leave it with me)\b[,!.—–-]* )*((could|can|would|will) (you|u)( please| pls| kindly)? |would you mind |(please|pls|plz|kindly) (could you |can you )?|(i|we)('d)? need you to |(i|we)('ll| will| shall| can)( be sure to)? |(i'm|i am|we're|we are) going to |it would be (great|helpful) if you could |i'd (appreciate|be grateful) if you could )+/i;

/** What is asked or promised, as the form's conditions would say it: the sentence without its lead-in and its day. */
function taskOf(sentence: string, days: Named[], due: Date | undefined): string {
  const named = days.find((d) => +d.day === +(due ?? 0));
  let text = sentence;
  if (named) {
    const before = sentence.slice(0, named.at).replace(/\s*\b(by|before|until|till|on|for|no later than|latest( by)?)\s+(the\s+)?(end of\s+)?$/i, "");
    text = `${before}${sentence.slice(named.end)}`;
  }
  text = text.replace(LEAD, "").replace(/\b(send|get|give|forward|email|pass)( \w+)? (me|us) /i, "$1$2 ")
    .replace(/[\s,;:.!?—–-]+$/, "").replace(/\s+/g, " ").trim();
  text = text.length > 80 ? `${text.slice(0, 80).replace(/\s+\S*$/, "")}…` : text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The moves a mail body makes, in the order written, from the text its sender wrote (quotes and signature left out).
 * `sent` is when it was sent and `timeZone` the reader's (the browser's when left out).
 */
export function suggest(body: string, sent: Date, timeZone?: string): Found[] {
  const day = sentDay(sent, timeZone);
  return sentences(ownText(body)).flatMap((quote) => {
    const { kind, dueBy, days, due } = detectIn(quote, day);
    return kind === "none" ? [] : [{ kind, dueBy, quote, task: taskOf(quote, days, due) }];
  });
}
