import type { ProblemDetails } from "./types";

/** A failed API call, carrying the server's problem details so the UI can say what went wrong in its words. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly problem: ProblemDetails;

  constructor(status: number, problem: ProblemDetails) {
    super(problem.detail ?? problem.title ?? `The server answered ${status}.`);
    this.name = "ApiProblem";
    this.status = status;
    this.problem = problem;
  }

  /** The last part of the problem type URI, e.g. "stale-version" or "not-your-move". */
  get kind(): string {
    return this.problem.type?.split("/").pop() ?? String(this.status);
  }
}

export async function problemOf(response: Response): Promise<ApiProblem> {
  let body: ProblemDetails = {};
  try {
    const text = await response.text();
    if (text) {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object") body = parsed as ProblemDetails;
    }
  } catch {
    // Not JSON (a proxy's error page, say): fall back to the status line.
  }
  if (!body.title && !body.detail) body = { ...body, title: response.statusText || `HTTP ${response.status}` };
  return new ApiProblem(response.status, { status: response.status, ...body });
}
