// A scripted Outlook host for the browser tests. The harness serves this file at Office.js's CDN address, and each
// browser context sets `window.__fakeHost = { me, item }` before the page runs, so the pane meets a fake `Office`
// global exactly where it would meet the real one (before main.ts runs). Without a host it defines nothing: the pane
// is then a plain web page. Category calls are recorded on window.__officeLog for the assertions.
(function install(host) {
  if (!host) return;
  const log = [];
  const master = [];
  let categories = [];
  const later = (cb, value) => setTimeout(() => cb({ status: "succeeded", value }), 0);
  const categoryApi = {
    getAsync: (cb) => { log.push("categories.get"); later(cb, [...categories]); },
    addAsync: (names, cb) => {
      log.push(`categories.add:${names.join(",")}`);
      categories = [...categories, ...names.map((n) => ({ displayName: n, color: master.find((m) => m.displayName === n)?.color ?? "None" }))];
      later(cb);
    },
    removeAsync: (names, cb) => {
      log.push(`categories.remove:${names.join(",")}`);
      categories = categories.filter((c) => !names.includes(c.displayName));
      later(cb);
    },
  };
  const i = host.item;
  const item = !i ? null : i.kind === "message"
    ? {
      itemType: "message", subject: i.subject, from: i.from, to: i.to, conversationId: i.conversationId, itemId: i.itemId, categories: categoryApi,
      dateTimeCreated: new Date(i.sent ?? Date.now()),
      body: { getAsync: (coercion, cb) => { log.push(`body.get:${coercion}`); later(cb, i.body ?? ""); } },
    }
    : { itemType: "appointment", subject: i.subject, start: new Date(i.start), end: new Date(i.end), itemId: i.itemId, categories: categoryApi };
  window.__officeLog = log;
  window.__officeCategories = () => categories.map((c) => c.displayName);
  window.Office = {
    onReady: () => new Promise((resolve) => setTimeout(() => resolve({ host: "Outlook", platform: "OfficeOnline" }), 10)),
    context: {
      mailbox: {
        item,
        userProfile: host.me,
        convertToRestId: (id) => `rest-${id}`,
        masterCategories: {
          getAsync: (cb) => { log.push("master.get"); later(cb, [...master]); },
          addAsync: (add, cb) => {
            log.push(`master.add:${add.map((a) => `${a.displayName}=${a.color}`).join(",")}`);
            master.push(...add);
            later(cb);
          },
        },
      },
    },
    CoercionType: { Text: "text", Html: "html" },
    MailboxEnums: {
      ItemType: { Message: "message", Appointment: "appointment" },
      RestVersion: { v1_0: "v1.0", v2_0: "v2.0", Beta: "beta" },
      CategoryColor: Object.fromEntries(Array.from({ length: 25 }, (_, n) => [`Preset${n}`, `Preset${n}`])),
    },
  };
})(window.__fakeHost);
