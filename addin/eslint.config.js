import js from "@eslint/js";
import tseslint from "typescript-eslint";

// House style rule 8, enforced: only api/ calls the backend, only mailbox/ touches Office.js, only auth/ knows MSAL.
const boundary = (except, rules) => ({ files: ["src/**/*.ts"], ignores: [`src/${except}/**`], rules });

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "manifest*.json"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { console: "readonly", process: "readonly", URL: "readonly" } },
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
  boundary("api", { "no-restricted-globals": ["error", { name: "fetch", message: "Only src/api calls the backend." }, { name: "XMLHttpRequest", message: "Only src/api calls the backend." }] }),
  boundary("mailbox", { "no-restricted-globals": ["error", { name: "Office", message: "Only src/mailbox touches Office.js." }] }),
  boundary("auth", { "no-restricted-imports": ["error", { patterns: [{ group: ["@azure/msal-*"], message: "Only src/auth knows MSAL." }] }] }),
);
