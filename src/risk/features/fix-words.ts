/**
 * The words that say a change fixes something: one list for the `fix`
 * feature (a change's title or labels) and for SZZ's fixing commits (a
 * commit message, which may also point at an issue; risk/history/fixing.ts).
 * Two lists disagreed before ("fixing" and "hotfix" counted for one only), so
 * a change could be a fix to the model and not to the labels it learns from.
 */
export const FIX_WORDS = /\b(?:fix(?:e[sd]|ing)?|bug(?:s|fix(?:es)?)?|hotfix(?:es)?|regression)\b/i;

export const saysFix = (text: string): boolean => FIX_WORDS.test(text);
