import type { ConsoleSession } from '../contracts/console.js';

/** What the console's middleware puts on a request. */
export interface ConsoleEnv {
  Variables: {
    /** Set by the HTTP app's request-id middleware (absent when the console runs on its own, as in tests). */
    requestId: string;
    session: ConsoleSession;
    cookie: string;
  };
}

/** What a page needs besides its data: who is looking, and a fresh one-time token for each form it renders. */
export interface PageContext {
  session: ConsoleSession;
  path: string;
  /** Whether the session may act (approve, decide, edit notes), not only read. */
  canAct: boolean;
  formToken(): string;
}
