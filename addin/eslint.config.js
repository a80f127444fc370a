import js from "@eslint/js";
import tseslint from "typescript-eslint";

// House style rule 8, enforced: only api/ calls the backend, only mailbox/ touches Office.js, only auth/ knows MSAL,
// only teams/ knows the Teams SDK.
// Flat config keeps only the last value of a rule per file, so each folder gets one list of what it may not use.
const owned = {
  api: { globals: ["fetch", "XMLHttpRequest"], message: "Only src/api calls the backend." },
  mailbox: { globals: ["Office"], message: "Only src/mailbox touches Office.js." },
};
const sdks = [
  { owner: "auth", group: ["@azure/msal-*"], message: "Only src/auth knows MSAL." },
  { owner: "teams", group: ["@microsoft/teams-js", "@microsoft/teams-js/*"], message: "Only src/teams knows the Teams SDK." },
];
const boundaries = ["api", "mailbox", "auth", "teams", "ui", ""].map((folder) => ({
  files: folder ? [`src/${folder}/**/*.ts`] : ["src/*.ts"],
  rules: {
    "no-restricted-globals": ["error", ...Object.entries(owned).filter(([owner]) => owner !== folder)
      .flatMap(([, o]) => o.globals.map((name) => ({ name, message: o.message })))],
    "no-restricted-imports": ["error", { patterns: sdks.filter((sdk) => sdk.owner !== folder).map(({ group, message }) => ({ group, message })) }],
  },
}));

export default tseslint.config(
  { ignores: ["dist/", "dist-e2e/", "node_modules/", "manifest*.json", "src/api/contract.gen.ts"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { console: "readonly", process: "readonly", URL: "readonly" } },
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
  ...boundaries,
  // The scripted Office and Teams hosts run in the browser page, not in node.
  { files: ["e2e/*.js"], languageOptions: { globals: { window: "readonly", setTimeout: "readonly", document: "readonly", URL: "readonly" } } },
);
