import type { Gen } from './vocab.js';

/** One generated line and its true template: the label of the statement that printed it. */
export interface LabelledLine {
  line: string;
  label: string;
}

/** An event a system logs: one line, or several in a row (a stack trace, an error with its DETAIL). */
export interface EventSpec {
  /** Relative frequency. */
  weight: number;
  emit: (g: Gen) => LabelledLine[];
}

export interface LogStyle {
  name: string;
  /** One sentence: what system the lines imitate. */
  about: string;
  events: EventSpec[];
}

/** A one-line event. */
export const one = (label: string, weight: number, render: (g: Gen) => string): EventSpec => ({
  weight,
  emit: (g) => [{ label, line: render(g) }],
});
