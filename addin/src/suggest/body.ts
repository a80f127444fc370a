// A mail body as plain text, cut down to what its sender wrote for this message, in sentences. Pure: no Office, no DOM.

/** Where an earlier message starts: Outlook's and Gmail's reply and forward headers. */
const EARLIER = /^(-{2,} ?original message ?-{2,}|-{3,} ?forwarded message ?-{3,}|begin forwarded message:|_{10,})/i;
/** A closing line ("Best regards,", "Thanks, Bob"), after which only the signature follows. */
const SIGN_OFF = /^((((best|kind|warm|many|with (best|kind)) )?(regards|wishes|thanks))|thank you|cheers|best|br|sincerely|yours( truly| sincerely)?|all the best|take care)\b[,.!]?( \S+)?$/i;
/** The lines a signature may still hold below its closing line (name, role, company, phone, address). */
const SIGNATURE_LINES = 8;

/**
 * The text the sender wrote for this message: quoted earlier messages ("On … wrote:", "-----Original Message-----",
 * an Outlook "From: … Sent: …" block, lines starting with ">") and the signature ("-- ", "Sent from my iPhone", a
 * closing line with a few short lines below it) are left out.
 */
export function ownText(body: string): string {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  const own: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const rest = lines.slice(i + 1).filter((l) => l.trim());
    if (EARLIER.test(line) || line === "--" || /^(sent from my|get outlook for)\b/i.test(line)) break;
    // "On Fri, 4 Dec 2026 at 10:02, Alice Martin <alice@…> wrote:", which mail clients may wrap over two lines.
    if (/^on\b/i.test(line) && (/\bwrote:$/i.test(line) || /^.{0,60}\bwrote:$/i.test(rest[0]?.trim() ?? ""))) break;
    if (/^\*?from:/i.test(line) && rest.slice(0, 4).some((l) => /^\*?(sent|date|to|subject):/i.test(l.trim()))) break;
    if (SIGN_OFF.test(line) && rest.length <= SIGNATURE_LINES && rest.every((l) => l.trim().length <= 60)) break;
    if (!line.startsWith(">")) own.push(lines[i]!);
  }
  return own.join("\n");
}

/** Abbreviations whose full stop does not end a sentence. */
const ABBREVIATION = /\b(mr|mrs|ms|dr|prof|st|no|nr|vs|etc|e\.g|i\.e|approx|incl|ca|inc|ltd|jr|sr|dept)\.$/i;

/**
 * The sentences of a text: paragraphs and lines apart (a line that runs on into a lowercase one is joined to it, as
 * mail wraps), then split after . ! ? before a capital or a digit. Bullets lose their marker.
 */
export function sentences(text: string): string[] {
  const units: string[] = [];
  let open = "";
  for (const raw of text.split("\n")) {
    const bullet = /^([-*•·]|\d+[.)])\s+/;
    const line = raw.trim().replace(bullet, "");
    if (open && line && /^[a-z]/.test(line) && !/[.!?:;]$/.test(open) && !bullet.test(raw.trim())) open += ` ${line}`;
    else { if (open) units.push(open); open = line; }
  }
  if (open) units.push(open);
  return units.flatMap((unit) => {
    const parts: string[] = [];
    let start = 0;
    for (const end of unit.matchAll(/[.!?…]+["')\]]?\s+(?=["'([]?[A-Z0-9])/g)) {
      const candidate = unit.slice(start, end.index + end[0].trimEnd().length);
      if (ABBREVIATION.test(candidate)) continue;
      parts.push(candidate);
      start = end.index + end[0].length;
    }
    parts.push(unit.slice(start));
    return parts.map((s) => s.trim().replace(/\s+/g, " ")).filter((s) => /[a-z]/i.test(s));
  });
}
