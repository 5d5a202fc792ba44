/**
 * Characters a terminal or a text viewer does not show: the normaliser strips
 * them from stored bodies, and the redactor reads through them (a token split
 * by a colour code is still a token). One definition, so the two agree.
 */

/**
 * CSI (colours, cursor moves), OSC (window titles, hyperlinks) and the
 * two-character escapes. Stripped before the control-char pass, which would
 * otherwise leave the printable tail ("[31m") behind.
 */
export const ANSI_SOURCE = String.raw`\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]`;

/**
 * C0 controls except \t and \n (and \r, which line-ending normalisation turns
 * into \n), DEL, and C1 controls (never meaningful in UTF-8 text; they show up
 * when cp1252 bytes were mis-decoded).
 */
export const CONTROL_CLASS = String.raw`\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f`;

/** Zero-width and soft-hyphen characters: invisible, so a secret split by one reads as whole. */
export const INVISIBLE_CLASS = String.raw`\u00ad\u200b-\u200d\u2060\ufeff`;
