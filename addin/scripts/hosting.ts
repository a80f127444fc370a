// The task pane's response headers have one source: public/staticwebapp.config.json, which the Static Web App serves
// from. The dev server, `vite preview`, the build and the browser tests' server all read them from here.
import { readFileSync } from "node:fs";

export interface HostingConfig {
  /** Sent with every response (the Content-Security-Policy and the other security headers among them). */
  globalHeaders: Record<string, string>;
  /** Added per path; a route's header replaces a global one of the same name. */
  routes?: { route: string; headers?: Record<string, string> }[];
}

export const hostingConfigFile = new URL("../public/staticwebapp.config.json", import.meta.url);

export function readHostingConfig(file: string | URL = hostingConfigFile): HostingConfig {
  return JSON.parse(readFileSync(file, "utf8")) as HostingConfig;
}

/** A policy's directives by name, each with its sources, in the order written. */
export function directivesOf(policy: string): Map<string, string[]> {
  return new Map(policy.split(";").map((d) => d.trim().split(/\s+/)).filter((d) => d[0])
    .map(([name, ...sources]) => [name!.toLowerCase(), sources]));
}

const policyOf = (directives: Map<string, string[]>) =>
  [...directives].map(([name, sources]) => [name, ...sources].join(" ")).join("; ");

/** The configuration with `added` appended to one directive of its Content-Security-Policy (those already there kept). */
export function withSources(config: HostingConfig, directive: string, added: string[]): HostingConfig {
  const csp = Object.keys(config.globalHeaders).find((h) => h.toLowerCase() === "content-security-policy");
  if (!csp) throw new Error("staticwebapp.config.json: globalHeaders has no content-security-policy");
  const directives = directivesOf(config.globalHeaders[csp]!);
  const sources = directives.get(directive) ?? [];
  directives.set(directive, [...sources, ...added.filter((a) => !sources.includes(a))]);
  return { ...config, globalHeaders: { ...config.globalHeaders, [csp]: policyOf(directives) } };
}

/**
 * The hosting configuration of a build whose API is at `apiBaseUrl` (VITE_API_BASE_URL). Empty or relative means the
 * pane's own origin, which connect-src 'self' already allows; an API on another origin (the Function App, as
 * scripts/deploy.sh builds it) is added to connect-src and to nothing else.
 */
export function hostingFor(config: HostingConfig, apiBaseUrl: string | undefined): HostingConfig {
  return apiBaseUrl && /^https?:\/\//i.test(apiBaseUrl) ? withSources(config, "connect-src", [new URL(apiBaseUrl).origin]) : config;
}
