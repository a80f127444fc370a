import { OfficeApp } from "office-addin-manifest";
import { OfficeMockObject } from "office-addin-mock";

/** An Office callback API answering with `value`. */
export const answers = <T>(value: T) => (callback: (r: { status: string; value: T }) => void) =>
  callback({ status: "succeeded", value });

const enums = {
  ItemType: { Message: "message", Appointment: "appointment" },
  RestVersion: { v2_0: "v2.0", v1_0: "v1.0", Beta: "beta" },
  CategoryColor: Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`Preset${i}`, `Preset${i}`])),
};

export const me = { emailAddress: "bob@contoso.test", displayName: "Bob" };
export const alice = { emailAddress: "alice@contoso.test", displayName: "Alice" };

/** An Outlook host (office-addin-mock) with `item` as the current item. */
export function outlookWith(item: Record<string, unknown>, mailbox: Record<string, unknown> = {}): typeof Office {
  const mock = new OfficeMockObject({
    context: {
      mailbox: {
        item,
        userProfile: me,
        convertToRestId: (id: string) => `rest:${id}`,
        ...mailbox,
      },
    },
    MailboxEnums: enums,
    CoercionType: { Text: "text", Html: "html" },
    onReady: async () => ({ host: "Outlook", platform: "OfficeOnline" }),
  }, OfficeApp.Outlook);
  return mock as unknown as typeof Office;
}
