// What a page loaded on first use (Roles, Figures) does around each piece of work: busy while it runs, and what failed
// said on the page in the server's words, drawn before and after.

export abstract class GuardedPage {
  protected problem: string | undefined;
  protected busy = false;

  protected abstract draw(): void;

  protected async guard(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.problem = undefined;
    this.draw();
    try {
      await work();
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
      this.draw();
    }
  }
}
