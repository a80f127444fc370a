// The only module that touches Office.js. Everything it returns is plain data, so the rest of the pane is ordinary
// TypeScript that runs (and is tested) without Office.

export interface Person { email: string; name: string }

export type ItemContext =
  | {
    kind: "message";
    mode: "read" | "compose";
    subject: string;
    from: Person | undefined;
    to: Person[];
    /** The signed-in mailbox owner. */
    me: Person;
    /** True when the message was written by me (then I am proposed as customer, not performer). */
    sentByMe: boolean;
    conversationId: string | undefined;
    /** REST-format id (read: convertToRestId; compose: getItemIdAsync once saved). */
    itemId: string | undefined;
    categories: string[];
  }
  | {
    kind: "appointment";
    mode: "organizer" | "attendee";
    subject: string;
    start: Date | undefined;
    end: Date | undefined;
    me: Person;
    itemId: string | undefined;
    categories: string[];
  };

export type OfficeHost = string | null;

/** Resolves with the host ("Outlook") or null outside Office — also when Office.js could not be loaded at all. */
export function whenOfficeReady(office: typeof Office | undefined = globalThis.Office, timeoutMs = 3000): Promise<OfficeHost> {
  if (!office?.onReady) return Promise.resolve(null);
  return Promise.race([
    office.onReady().then((info) => (info.host ? String(info.host) : null)),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs)),
  ]);
}

/** The item the pane was opened on, or null when there is none (outside Office, or no item selected). */
export async function readCurrentItem(office: typeof Office | undefined = globalThis.Office): Promise<ItemContext | null> {
  const mailbox = office?.context?.mailbox;
  const item = mailbox?.item;
  if (!office || !mailbox || !item) return null;
  const profile = mailbox.userProfile;
  const me: Person = { email: profile.emailAddress, name: profile.displayName };
  const compose = typeof (item as { subject: unknown }).subject !== "string";

  if (item.itemType === office.MailboxEnums.ItemType.Message) {
    if (compose) {
      const m = item as Office.MessageCompose;
      const [subject, to, from] = await Promise.all([
        call<string>((cb) => m.subject.getAsync(cb)),
        call<Office.EmailAddressDetails[]>((cb) => m.to.getAsync(cb)),
        m.from ? call<Office.EmailAddressDetails>((cb) => m.from.getAsync(cb)) : Promise.resolve(undefined),
      ]);
      return {
        kind: "message", mode: "compose", subject: subject ?? "", to: (to ?? []).map(person),
        from: from ? person(from) : me, me, sentByMe: true,
        conversationId: m.conversationId || undefined,
        itemId: await composeItemId(m), categories: await categoriesOf(m),
      };
    }
    const m = item as Office.MessageRead;
    const from = m.from ? person(m.from) : undefined;
    return {
      kind: "message", mode: "read", subject: m.subject ?? "", from, to: (m.to ?? []).map(person), me,
      sentByMe: !!from && sameAddress(from.email, me.email),
      conversationId: m.conversationId || undefined,
      itemId: m.itemId ? restId(mailbox, office, m.itemId) : undefined,
      categories: await categoriesOf(m),
    };
  }

  if (compose) {
    const a = item as Office.AppointmentCompose;
    const [subject, start, end] = await Promise.all([
      call<string>((cb) => a.subject.getAsync(cb)),
      call<Date>((cb) => a.start.getAsync(cb)),
      call<Date>((cb) => a.end.getAsync(cb)),
    ]);
    return {
      kind: "appointment", mode: "organizer", subject: subject ?? "", start, end, me,
      itemId: await composeItemId(a), categories: await categoriesOf(a),
    };
  }
  const a = item as Office.AppointmentRead;
  return {
    kind: "appointment", mode: "attendee", subject: a.subject ?? "", start: a.start, end: a.end, me,
    itemId: a.itemId ? restId(mailbox, office, a.itemId) : undefined, categories: await categoriesOf(a),
  };
}

/** What an open mail says, as plain text, and when it was sent: read on the client, never stored or sent anywhere. */
export interface MailBody { text: string; sent: Date }

/**
 * The body of the message open in read mode — a meeting invitation is one too — and when it was sent; null for a
 * message being written or a calendar item.
 */
export async function readBody(office: typeof Office | undefined = globalThis.Office): Promise<MailBody | null> {
  const item = office?.context?.mailbox?.item;
  if (!office || !item || item.itemType !== office.MailboxEnums.ItemType.Message || typeof (item as { subject: unknown }).subject !== "string") return null;
  const m = item as Office.MessageRead;
  const text = await call<string>((cb) => m.body.getAsync(office.CoercionType.Text, cb));
  return { text: text ?? "", sent: new Date(m.dateTimeCreated) };
}

/** The key the backend links by: the thread for a message, the item for a meeting. Null if not known yet. */
export function itemKeyOf(item: ItemContext): string | null {
  if (item.kind === "message") return item.conversationId ? `thread:${item.conversationId}` : null;
  return item.itemId ? `event:${item.itemId}` : null;
}

/** Category names and colours per quadrant, so a tag shows in every Outlook client. */
export const QUADRANT_CATEGORIES = {
  Q1: { name: "Workflow Q1 · Listen", color: "Preset7" },
  Q2: { name: "Workflow Q2 · Negotiate", color: "Preset3" },
  Q3: { name: "Workflow Q3 · Execute", color: "Preset4" },
  Q4: { name: "Workflow Q4 · Assess", color: "Preset1" },
} as const;
export type TaggableQuadrant = keyof typeof QUADRANT_CATEGORIES;

/**
 * Tags the current item with the quadrant's category (Mailbox 1.8), creating the master category first if the
 * mailbox lacks it, and removing the other quadrants' categories.
 */
export async function tagCurrentItem(quadrant: TaggableQuadrant, office: typeof Office | undefined = globalThis.Office): Promise<void> {
  const mailbox = office?.context?.mailbox;
  const item = mailbox?.item;
  if (!office || !mailbox || !item?.categories) throw new Error("Tagging needs an Outlook item (Mailbox 1.8).");
  const wanted = QUADRANT_CATEGORIES[quadrant];
  const master = (await call<Office.CategoryDetails[]>((cb) => mailbox.masterCategories.getAsync(cb))) ?? [];
  if (!master.some((c) => c.displayName === wanted.name)) {
    const color = office.MailboxEnums.CategoryColor[wanted.color];
    await call<unknown>((cb) => mailbox.masterCategories.addAsync([{ displayName: wanted.name, color }], cb));
  }
  const current = (await call<Office.CategoryDetails[]>((cb) => item.categories.getAsync(cb))) ?? [];
  const others: string[] = Object.values(QUADRANT_CATEGORIES).map((c): string => c.name).filter((n) => n !== wanted.name);
  const stale = current.map((c) => c.displayName).filter((n) => others.includes(n));
  if (stale.length > 0) await call<unknown>((cb) => item.categories.removeAsync(stale, cb));
  await call<unknown>((cb) => item.categories.addAsync([wanted.name], cb));
}

function person(details: Office.EmailAddressDetails): Person {
  return { email: details.emailAddress, name: details.displayName || details.emailAddress };
}

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function restId(mailbox: Office.Mailbox, office: typeof Office, ewsId: string): string {
  return mailbox.convertToRestId ? mailbox.convertToRestId(ewsId, office.MailboxEnums.RestVersion.v2_0) : ewsId;
}

async function composeItemId(item: Office.MessageCompose | Office.AppointmentCompose): Promise<string | undefined> {
  if (!item.getItemIdAsync) return undefined;
  try {
    return (await call<string>((cb) => item.getItemIdAsync(cb))) || undefined;
  } catch {
    return undefined; // A new item has no id until it is saved; that is not an error for the pane.
  }
}

async function categoriesOf(item: Office.Item): Promise<string[]> {
  const categories = (item as { categories?: Office.Categories }).categories;
  if (!categories?.getAsync) return [];
  try {
    return ((await call<Office.CategoryDetails[]>((cb) => categories.getAsync(cb))) ?? []).map((c) => c.displayName);
  } catch {
    return [];
  }
}

/** Office's callback style as a promise; a failed result rejects with Office's own message. */
function call<T>(start: (callback: (result: Office.AsyncResult<T>) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    start((result) => {
      // Compared as text: the mock and the real Office.js both use the string "failed".
      if (String(result.status) === "failed") reject(new Error(result.error?.message ?? "Office call failed."));
      else resolve(result.value);
    });
  });
}
