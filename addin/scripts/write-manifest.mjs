// Writes the unified manifest for one environment from config/environments.json, so dev and production URLs come
// from configuration, never from hand edits. Usage: node scripts/write-manifest.mjs [dev|prod] [out.json]
// For prod, ${VAR} placeholders are read from the environment; unset ones fall back to obvious example values so
// the shape can still be validated offline.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const envName = process.argv[2] ?? "dev";
const out = resolve(root, process.argv[3] ?? (envName === "dev" ? "manifest.json" : `manifest.${envName}.json`));

const examples = {
  WORKFLOW_ADDIN_APP_ID: "00000000-0000-4000-8000-000000000001",
  WORKFLOW_ADDIN_VERSION: "1.0.0",
  WORKFLOW_ADDIN_BASE_URL: "https://workflow.example.com",
  WORKFLOW_API_CLIENT_ID: "00000000-0000-4000-8000-000000000003",
};
const environments = JSON.parse(readFileSync(resolve(root, "config/environments.json"), "utf8"));
// The pane's page, as the build emits it and the app registration knows it (config/pane.json).
const pane = JSON.parse(readFileSync(resolve(root, "config/pane.json"), "utf8"));
const raw = environments[envName];
if (!raw) {
  console.error(`Unknown environment '${envName}'. Known: ${Object.keys(environments).join(", ")}.`);
  process.exit(2);
}
const config = Object.fromEntries(Object.entries(raw).map(([k, v]) => [
  k,
  String(v).replace(/\$\{(\w+)\}/g, (_, name) => process.env[name] ?? examples[name] ?? ""),
]));
const base = config.baseUrl.replace(/\/$/, "");
if (!/^https:\/\//.test(base)) {
  console.error(`baseUrl must be https (Outlook loads task panes over HTTPS only): ${base}`);
  process.exit(2);
}
const host = new URL(base).host;

// Mailbox 1.8 is the highest set the pane uses (categories, master categories, getItemIdAsync in compose).
const mailbox = (minVersion) => ({ capabilities: [{ name: "Mailbox", minVersion }], scopes: ["mail"] });
const icon = (size) => ({ size, url: `${base}/assets/icon-${size}.png` });
const paneButton = (id, label) => ({
  id,
  type: "button",
  label,
  icons: [icon(16), icon(32), icon(80)],
  supertip: { title: label, description: "See and move the workflows this item belongs to." },
  actionId: "openTaskPane",
});
const ribbon = (contexts, builtInTabId, groupId) => ({
  requirements: mailbox("1.8"),
  contexts,
  tabs: [{
    builtInTabId,
    groups: [{ id: groupId, label: "Workflow", icons: [icon(16), icon(32), icon(80)], controls: [paneButton(`${groupId}.open`, "Workflow")] }],
  }],
});

// Teams: the same app in a meeting (issue 13). One configurable tab serves the meeting's side panel, its stage, its
// details and its chat (the page reads which from the Teams context); Teams opens the configuration page when the app is
// added to a meeting. The personal tab is the lists, in Teams. Both run teams.html (config/pane.json), which alone loads
// the Teams SDK.
const teamsPage = `${base}/${pane.teams}`;
const teamsTabs = {
  staticTabs: [{
    entityId: "lists",
    name: "My lists",
    contentUrl: teamsPage,
    websiteUrl: `${base}/${pane.page}`,
    scopes: ["personal"],
    context: ["personalTab"],
  }],
  configurableTabs: [{
    id: "meeting",
    configurationUrl: `${teamsPage}?view=config`,
    canUpdateConfiguration: false,
    scopes: ["groupChat"],
    meetingSurfaces: ["sidePanel", "stage"],
    context: ["meetingSidePanel", "meetingStage", "meetingDetailsTab", "meetingChatTab"],
  }],
};
// Teams' own single sign-on (authentication.getAuthToken), where Teams offers no Nested App Authentication: the API's
// app registration, under the Application ID URI Teams requires (api://<the tab's host>/<client id>). A development
// manifest has none: the local development sign-in needs no token from Teams.
const webApplicationInfo = config.apiClientId
  ? { webApplicationInfo: { id: config.apiClientId, resource: `api://${host}/${config.apiClientId}` } }
  : {};

const manifest = {
  $schema: "https://developer.microsoft.com/json-schemas/teams/v1.24/MicrosoftTeams.schema.json",
  manifestVersion: "1.24",
  version: config.version,
  id: config.appId,
  localizationInfo: { defaultLanguageTag: "en-us" },
  developer: {
    name: "Workflow",
    websiteUrl: base,
    privacyUrl: `${base}/privacy.html`,
    termsOfUseUrl: `${base}/terms.html`,
  },
  name: { short: `Workflow${config.nameSuffix}`, full: `Workflow — promises made explicit${config.nameSuffix}` },
  description: {
    short: "Track who promised what to whom, from mail and meetings.",
    full: "Turn a message or meeting into a tracked workflow between a customer and a performer: request, promise, done, and the customer's declaration of satisfaction.",
  },
  icons: { outline: "assets/outline.png", color: "assets/color.png" },
  accentColor: "#0F6CBD",
  validDomains: [host],
  ...teamsTabs,
  ...webApplicationInfo,
  authorization: {
    permissions: {
      // ReadWrite.User: item categories and the mailbox's master categories (quadrant tags). Nothing broader.
      resourceSpecific: [{ name: "Mailbox.ReadWrite.User", type: "Delegated" }],
    },
  },
  // Teams activity feed: what the API sends (Graph sendActivityNotification, GraphTeamsNotifier.ActivityType) when a move
  // hands someone the ball and they have this app in Teams. Sent app-only, so {actor} is this app's name.
  activities: {
    activityTypes: [{ type: "workflowMove", description: "A workflow move hands you the ball", templateText: "{actor}: your move in a workflow" }],
  },
  extensions: [{
    requirements: mailbox("1.1"),
    runtimes: [{
      requirements: mailbox("1.1"),
      id: "TaskPaneRuntime",
      type: "general",
      code: { page: `${base}/${pane.page}` },
      lifetime: "short",
      actions: [{ id: "openTaskPane", type: "openPage", pinnable: true, view: "workflowPane" }],
    }],
    ribbons: [
      ribbon(["mailRead"], "TabDefault", "msgRead"),
      ribbon(["mailCompose"], "TabDefault", "msgCompose"),
      ribbon(["meetingDetailsOrganizer"], "TabDefault", "apptOrganizer"),
      ribbon(["meetingDetailsAttendee"], "TabDefault", "apptAttendee"),
    ],
  }],
};

writeFileSync(out, JSON.stringify(manifest, null, 2) + "\n");
console.log(`Wrote ${out} (${envName}: ${base})`);
