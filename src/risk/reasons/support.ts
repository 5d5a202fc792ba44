import type { Evidence } from '../../contracts/risk.js';
import { factorSentence } from './phrases.js';
import type { ReasonInput } from './types.js';

/**
 * Whether a claim says what its citations say. A valid id is not enough: the
 * claim's own content words (names, files, errors, events) must mostly be
 * found in the cited evidence, in the release it is about, or in the
 * factors it explains. Words any reason uses ("release", "similar",
 * "raises") and words about the decision (checked by stance.ts) need no
 * support; numbers are checked on their own (verify.ts).
 */
export const MIN_SUPPORTED_SHARE = 0.6;

const FUNCTION_WORDS =
  'a an the and or of to in on at for is are was were be been being it its this that these those with as by from into then than so if not no nor but also both either neither any all each every some such same other another more most less least very much many few only just still again already yet even ever there here their they them he she his her we our us i me my you your which who whom whose what when where why how while since because although though whereas after before during until upon over under about above below between through across against within without per via can could may might must shall should will would do does did done has have had having one two three four five first second third last next own'.split(
    ' ',
  );
const EXPLAINING_WORDS =
  'release releases released releasing change changes changed changing evidence shows show showed shown showing suggests suggest suggested indicates indicate indicated means meaning which raises raise raised raising lowers lower lowered increases increase increased adds add added adding makes make made similar past previous prior earlier recent recently history historical record records recorded earlier time times case cases likely possible possibly probably overall together including includes include included related relating part parts area areas current currently new newly version versions service services team ships ship shipped shipping deploy deployed deploys deployment note noted notes seen see saw found find finds points point given based factor factors feature features contribute contributes contributed contribution signal signals reason reasons comes come coming behind remain remains remained unexplained unresolved understood fixed unwise wise prudent code path paths file files share shares shared sharing unstable stable instability pattern patterns trend repeat repeats repeated twice multiple several small large'.split(
    ' ',
  );
const DECISION_WORDS =
  'risk risks risky riskier level levels low medium moderate high higher critical elevated probability score model assessment recommendation recommended recommends hold held holding promote promoted promotion approval approve approved approver approvers sign off signoff safe safer unsafe caution cautious careful carefully concern concerns concerning worry warrant warrants warranted justify justifies justified failure failures fail fails failing need needs needed require requires required named decision go goes going out live ahead production prod today now wait until'.split(
    ' ',
  );
const NEEDS_NO_SUPPORT = new Set([...FUNCTION_WORDS, ...EXPLAINING_WORDS, ...DECISION_WORDS]);

/** A rough stem, so "crashed", "crashes" and "crashing" meet "crash", and "timeouts" meets "timeout". */
function stem(word: string): string {
  let w = word.replace(/'s$/, '');
  if (w.length > 5 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && /(?:ing|ed)$/.test(w)) w = w.replace(/(?:ing|ed)$/, '');
  else if (w.length > 4 && /[^s]s$/.test(w)) w = w.slice(0, -1);
  return w.length > 4 && /e$/.test(w) ? w.slice(0, -1) : w;
}

/** Letter-bearing words, split on punctuation, paths and identifiers (src/lib/http-client.ts → src, lib, http, client, ts). */
function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => /\p{L}/u.test(w));
}

/** The stems a claim's words may be found among: the cited evidence, the release, the factors and the paths they name. */
function supportingStems(input: ReasonInput, cited: readonly Evidence[]): Set<string> {
  const texts = cited.map((e) => `${e.kind} ${e.title} ${e.snippet} ${e.why}`);
  texts.push(`${input.release.service} ${input.release.version} ${input.release.strategy ?? ''}`);
  // The factor table, in its labels and in the sentences that explain it to people.
  for (const f of input.factors) texts.push(f.label, factorSentence(f, { service: input.release.service, ...input.context }));
  for (const paths of Object.values(input.context?.riskyPaths ?? {})) texts.push((paths ?? []).join(' '));
  texts.push((input.context?.subsystems ?? []).join(' '));
  const stems = new Set<string>();
  for (const t of texts) for (const w of words(t)) stems.add(stem(w));
  return stems;
}

/** The claim's words that need support and are not found, or undefined when enough are found. */
export function unsupportedContent(
  text: string,
  input: ReasonInput,
  cited: readonly Evidence[],
): { missing: string[]; share: number } | undefined {
  const content = [...new Set(words(text).filter((w) => w.length > 1 && !NEEDS_NO_SUPPORT.has(w)))];
  if (content.length === 0) return { missing: [], share: 0 };
  const found = supportingStems(input, cited);
  const missing = content.filter((w) => !found.has(stem(w)));
  const share = (content.length - missing.length) / content.length;
  return share >= MIN_SUPPORTED_SHARE ? undefined : { missing, share };
}
