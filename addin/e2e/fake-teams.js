// A scripted Teams host for the browser tests, served at https://teams.microsoft.com/fake-teams.html (the harness
// resolves Teams' name to a local stand-in): it frames the tab (teams.html) and answers the Teams SDK's postMessage
// protocol as Teams on the web does, from what the test chose (`window.__fakeTeams`, set before the page runs):
//   - the SDK sends requests { id, uuidAsString, func, args, … }; a response is { id, uuidAsString, args }
//   - `initialize` → [frameContext, hostClientType, runtime config (JSON), the host's SDK version]
//   - `getContext` → [the context in the host's own field names: chatId, frameContext, theme, loginHint, …]
//   - `authentication.getAuthToken` → [true, token] or [false, reason]
//   - `settings.setValidityState` and `settings.setSettings` (the configuration page); Save is `settings.save`
//   - an event the host raises is { func, args } with no id: `themeChange` ["dark"], `settings.save`
// Every request's func is kept in window.__teamsLog, the tab's saved settings in window.__teamsSettings, and
// window.__teamsRaise(func, args) raises an event in the tab.
(function install(setup) {
  if (!setup) return;
  const frame = document.createElement("iframe");
  frame.title = "Workflow";
  frame.src = setup.tab;
  document.body.append(frame);
  const tabOrigin = new URL(setup.tab).origin;
  const log = [];
  const settings = { valid: false, saved: null };
  window.__teamsLog = log;
  window.__teamsSettings = settings;

  const runtime = {
    apiVersion: 4,
    isNAAChannelRecommended: setup.naaRecommended === true,
    isLegacyTeams: false,
    hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
    supports: { app: {}, appEntity: {}, meeting: {}, pages: { config: {}, appButton: {}, tabs: {} }, teamsCore: {} },
  };
  const context = () => ({
    frameContext: setup.frameContext,
    hostClientType: "web",
    hostName: "Teams",
    locale: "en-us",
    appSessionId: "e2e-session",
    theme: setup.theme ?? "default",
    entityId: setup.frameContext === "settings" ? "" : "meeting",
    loginHint: setup.loginHint,
    userPrincipalName: setup.userPrincipalName ?? setup.loginHint,
    userObjectId: "00000000-0000-4000-8000-0000000000e2",
    tid: "00000000-0000-4000-8000-0000000000aa",
    ...(setup.chatId ? { chatId: setup.chatId, meetingId: `meeting-of-${setup.chatId}` } : {}),
  });
  const answers = {
    initialize: () => [setup.frameContext, "web", JSON.stringify(runtime), "2.58.0"],
    getContext: () => [context()],
    "authentication.getAuthToken": () => (setup.ssoToken ? [true, setup.ssoToken] : [false, "resourceDisabled"]),
    "settings.setValidityState": (args) => { settings.valid = args[0] === true; return undefined; },
    "settings.setSettings": (args) => { settings.saved = args[0]; return [true]; },
    "settings.save.success": () => { settings.succeeded = true; return undefined; },
    "settings.save.failure": (args) => { settings.failed = args[0] ?? "failed"; return undefined; },
  };

  window.addEventListener("message", (event) => {
    if (event.source !== frame.contentWindow || event.origin !== tabOrigin) return;
    const request = event.data;
    if (!request || typeof request.func !== "string") return;
    log.push(request.func);
    const answer = answers[request.func];
    const args = answer ? answer(request.args ?? []) : undefined;
    // Requests Teams answers with nothing (registerHandler, notifications) get no response, as in Teams.
    if (args !== undefined) frame.contentWindow.postMessage({ id: request.id, uuidAsString: request.uuidAsString, args }, tabOrigin);
  });

  window.__teamsRaise = (func, args) => frame.contentWindow.postMessage({ func, args }, tabOrigin);
})(window.__fakeTeams);
