import { describe, expect, it } from "vitest";
import { ownText, sentences } from "../src/suggest/body";

const own = (body: string) => sentences(ownText(body));

describe("the text the sender wrote for this message", () => {
  it("stops at a Gmail-style quote header, also when it wraps over two lines", () => {
    expect(own("Can you send it today?\n\nOn Fri, 4 Dec 2026 at 10:02, Alice <alice@contoso.test> wrote:\n> Please send the numbers by Monday.")).toEqual(["Can you send it today?"]);
    expect(own("Sure, I'll do it.\nOn Fri, 4 Dec 2026 at 10:02, Alice Martin\n<alice@contoso.test> wrote:\nPlease send the numbers by Monday.")).toEqual(["Sure, I'll do it."]);
  });

  it("stops at Outlook's original message line and at its From/Sent block", () => {
    expect(own("Done.\n-----Original Message-----\nFrom: Bob\nCould you check it?")).toEqual(["Done."]);
    expect(own("I'll have it Monday.\n\nFrom: Alice Martin <alice@contoso.test>\nSent: Friday, 4 December 2026 10:02\nTo: Bob\nSubject: Q3\n\nCould you send the Q3 numbers?"))
      .toEqual(["I'll have it Monday."]);
    expect(own("Ok.\n________________________________\nFrom: Alice\nPlease review.")).toEqual(["Ok."]);
  });

  it("leaves out quoted lines starting with >, wherever they are", () => {
    expect(own("> Can you review it by Friday?\nYes, I will review it by Friday.\n>> older")).toEqual(["Yes, I will review it by Friday."]);
  });

  it("leaves out the signature: after '-- ', 'Sent from my iPhone', or a closing line with a few short lines below", () => {
    expect(own("Please sign the form.\n-- \nAlice Martin\nPlease call me on +31 6 1234")).toEqual(["Please sign the form."]);
    expect(own("Please sign the form.\n\nSent from my iPhone")).toEqual(["Please sign the form."]);
    expect(own("Please sign the form.\n\nBest regards,\nAlice Martin\nHead of Finance | Contoso\nPlease consider the environment before printing."))
      .toEqual(["Please sign the form."]);
    expect(own("Please sign the form.\nThanks, Alice")).toEqual(["Please sign the form."]);
  });

  it("keeps a thank-you that starts the mail, and a closing line followed by more of the message", () => {
    expect(own("Thanks for the quick reply!\nCould you also send the invoice?")).toEqual(["Thanks for the quick reply!", "Could you also send the invoice?"]);
    const long = ["Thanks,", ...Array.from({ length: 10 }, (_, i) => `Line ${i + 1} of a longer note that goes on and on for quite a while yes.`)].join("\n");
    expect(own(long)).toHaveLength(11);
  });
});

describe("sentences", () => {
  it("splits after . ! ? before a capital or a digit, keeping abbreviations and decimals whole", () => {
    expect(sentences("Hi Bob! Can you send it, e.g. the Excel version? Costs rose 3.5 percent. Mr. Smith agreed."))
      .toEqual(["Hi Bob!", "Can you send it, e.g. the Excel version?", "Costs rose 3.5 percent.", "Mr. Smith agreed."]);
  });

  it("keeps lines apart, joins a line wrapped into a lowercase one, and drops bullets and empty lines", () => {
    expect(sentences("Hi Tom,\n\nCould you send me the numbers for the\nboard by Friday?\n- first the totals\n* then the rest\n\n--"))
      .toEqual(["Hi Tom,", "Could you send me the numbers for the board by Friday?", "first the totals", "then the rest"]);
  });
});
