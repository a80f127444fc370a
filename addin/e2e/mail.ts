// The API's development mail as a mail client reads it: an .eml file's headers (RFC 2047 words decoded) and its HTML
// and text parts, each decoded by its Content-Transfer-Encoding (base64, quoted-printable, 7bit/8bit) and charset,
// through multipart/* bodies of any depth.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Mail { file: string; to: string; subject: string; html: string; text: string }

function splitHead(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? "" : raw.slice(at).replace(/^\r?\n\r?\n/, "");
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function bytesOf(body: string, encoding: string): Buffer {
  switch (encoding.toLowerCase()) {
    case "base64": return Buffer.from(body.replace(/\s+/g, ""), "base64");
    case "quoted-printable": {
      const soft = body.replace(/=\r?\n/g, "");
      const bytes: number[] = [];
      for (let i = 0; i < soft.length; i++) {
        const hex = soft.slice(i + 1, i + 3);
        if (soft[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) { bytes.push(parseInt(hex, 16)); i += 2; } else bytes.push(soft.charCodeAt(i));
      }
      return Buffer.from(bytes);
    }
    default: return Buffer.from(body, "latin1");
  }
}

const param = (header: string, name: string) => new RegExp(`;\\s*${name}="?([^";]+)"?`, "i").exec(header)?.[1];

function decodeWords(text: string): string {
  return text.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, kind: string, data: string) => {
    const bytes = kind.toUpperCase() === "B" ? Buffer.from(data, "base64") : bytesOf(data.replace(/_/g, " "), "quoted-printable");
    return new TextDecoder(charset).decode(bytes);
  });
}

function parts(raw: string, found: { html: string; text: string }): void {
  const { headers, body } = splitHead(raw);
  const type = headers.get("content-type") ?? "text/plain";
  const boundary = param(type, "boundary");
  if (type.toLowerCase().startsWith("multipart/") && boundary) {
    const sections = body.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:--)?[ \\t]*\\r?\\n?`));
    for (const section of sections.slice(1)) if (section.trim()) parts(section, found);
    return;
  }
  const decoded = new TextDecoder(param(type, "charset") ?? "utf-8").decode(bytesOf(body, headers.get("content-transfer-encoding") ?? "7bit"));
  if (type.toLowerCase().startsWith("text/html")) found.html ||= decoded;
  else if (type.toLowerCase().startsWith("text/plain")) found.text ||= decoded;
}

export function parseEml(raw: string, file = ""): Mail {
  const { headers } = splitHead(raw);
  const found = { html: "", text: "" };
  parts(raw, found);
  return { file, to: decodeWords(headers.get("to") ?? ""), subject: decodeWords(headers.get("subject") ?? ""), ...found };
}

/** Every mail in the outbox (finished files only: the sender writes a .tmp and renames it). */
export function readOutbox(dir: string): Mail[] {
  return readdirSync(dir).filter((f) => f.endsWith(".eml")).map((f) => parseEml(readFileSync(join(dir, f), "utf8"), f));
}

/** The links of the mail's HTML whose text is `label`, entities decoded. */
export function linksLabelled(html: string, label: string): string[] {
  const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: "\"", "#39": "'" };
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi)]
    .filter((m) => m[2]!.replace(/<[^>]+>/g, "").trim() === label)
    .map((m) => m[1]!.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => entities[e]!));
}
