import type { Recommendation, RiskLevel } from '../../contracts/risk.js';

/**
 * What a claim says about the decision, read deterministically from its
 * words. A reason explains the evidence; the level and the recommendation
 * are the model's and the policy's. So a claim may agree with them, but one
 * that calls a held release safe, says no approval is needed where the
 * policy asks for one, disputes the score, or tells the reader what to do
 * is dropped, whatever it cites: evidence text (a deploy log, a ticket) can
 * carry instructions that a model obeys.
 */
export interface Stance {
  /** Levels the claim allows (a stated level, or the complement of a denied one). */
  levels?: ReadonlySet<RiskLevel>;
  /** true: calls the release safe; false: calls it unsafe. */
  safe?: boolean;
  /** true: says it may ship now; false: says it must not ship (hold). */
  proceed?: boolean;
  /** true: says it needs an approval; false: says it needs none. */
  approval?: boolean;
  /** It disputes the score, the level or the recommendation. */
  disputes?: string;
  /** It addresses the reader or repeats an instruction instead of stating a fact. */
  instruction?: string;
}

const ALL_LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high', 'critical'];
/** Words people use for a level, and the levels each can mean. */
const LEVEL_WORDS: Record<string, readonly RiskLevel[]> = {
  no: ['low'],
  zero: ['low'],
  little: ['low'],
  minimal: ['low'],
  negligible: ['low'],
  minor: ['low'],
  low: ['low'],
  moderate: ['medium'],
  medium: ['medium'],
  elevated: ['high', 'critical'],
  significant: ['high', 'critical'],
  substantial: ['high', 'critical'],
  considerable: ['high', 'critical'],
  serious: ['high', 'critical'],
  high: ['high'],
  severe: ['critical'],
  critical: ['critical'],
  extreme: ['critical'],
};
const LEVEL_ALT = Object.keys(LEVEL_WORDS).join('|');
const DEGREE = '(?:very|quite|fairly|relatively|rather|only|extremely|pretty|really|still|so)\\s+';
const LEVEL_PATTERNS = [
  // "low risk", "a low-risk release", "very high risk"; not "high-risk paths", which rates a part, not the release
  new RegExp(
    `\\b(?:${DEGREE})?(${LEVEL_ALT})[- ]risk(?:\\s+(?:release|change|deploy|deployment|update|version|rollout))?(?![\\w-]|\\s+[a-z])`,
    'gi',
  ),
  // "the risk is low", "risk level is high", "risk remains minimal"
  new RegExp(
    `\\brisk(?:\\s+level)?(?:\\s+(?:of|for|in|from|here|with)\\b[^,;:.!?]{0,40}?)?\\s+(?:is|was|seems|looks|appears|remains|stays|would be|of|at)\\s+(?:${DEGREE})?(${LEVEL_ALT})\\b`,
    'gi',
  ),
  // "its level is critical", "rated high"
  /\b(?:level|rated|rating)\s+(?:is\s+|of\s+)?(low|medium|high|critical)\b/gi,
];

/** What a safety word must be said of to count: the release, not a retry or a migration. */
const THE_RELEASE =
  '(?:it|this(?:\\s+(?:release|change|update|version|deploy(?:ment)?|rollout))?|the\\s+(?:release|change|update|version|deploy(?:ment)?|rollout)|(?:promotion|promoting|shipping|deploying|releasing|approving|rolling\\s+out)(?:\\s+(?:it|this\\s+release|the\\s+release))?)';
const SAFE_PATTERNS = [
  new RegExp(
    `\\b${THE_RELEASE}\\s+(?:is|isn't|looks|seems|appears|remains|should\\s+be|would\\s+be|will\\s+be|be|is\\s+considered)\\s+(?:not\\s+)?(?:(?:completely|perfectly|totally|entirely|very|quite|fairly|reasonably|clearly|probably|likely)\\s+)?(safe|harmless|benign|risk-?free|fine|okay|ok|unsafe|dangerous|risky)\\b`,
    'gi',
  ),
  /\bsafe\s+(?:change|release|bet|update|upgrade|rollout)\b/gi,
  /\brisk-?free\b/gi,
  /\bnothing\s+to\s+worry\b/gi,
  /\b(?:no|zero)\s+(?:real\s+|significant\s+|meaningful\s+|serious\s+)?(?:risk|danger|concerns?)\b/gi,
];
const UNSAFE_WORDS = new Set(['unsafe', 'dangerous', 'risky']);

const SHIP_VERB =
  '(?:go out|go ahead|go live|go to production|go to prod|approve|ship|shipping|shipped|promote|promoted|promotion|deploy|deployed|deployment|release|released|merge|merged|proceed|roll ?out|rolled out|production|prod)';
const PROCEED_PATTERNS = [
  new RegExp(
    `\\b(?:safe|ok|okay|fine|good|ready|clear|cleared|green|free|wise|prudent|reasonable|sensible|better|best)\\s+(?:to|for)\\s+(?:be\\s+)?${SHIP_VERB}\\b`,
    'gi',
  ),
  new RegExp(
    `\\b(?:can|could|may|might|should|must|cannot|can't|couldn't|shouldn't|mustn't)\\s+(?:not\\s+)?(?:safely\\s+|now\\s+|still\\s+|simply\\s+|just\\s+)?(?:be\\s+)?${SHIP_VERB}\\b`,
    'gi',
  ),
  // "should be approved" asks for the approval that lets it ship
  /\b(?:can|could|may|should)\s+(?:safely\s+|now\s+|simply\s+)?be\s+approved\b/gi,
  /\b(?:green light|go-ahead|thumbs up|lgtm|good to go|ship it|all clear|no blockers?|nothing blocks)\b/gi,
  /\b(?:no|without)\s+(?:need|reason)\s+to\s+(?:hold|block|wait|delay|stop)\b/gi,
  new RegExp(`\\b${THE_RELEASE}\\s+(?:is|looks|seems|appears)\\s+(?:(?:now|fully|clearly)\\s+)?(?:ready|good|cleared|clear)\\b`, 'gi'),
  /\b(?:recommend\w*|suggest\w*|advis\w*)\s+(?:to\s+)?(?:promot\w*|ship\w*|approv\w*|deploy\w*|releas\w*|merg\w*|roll\w*\s+out|proceed\w*)\b/gi,
  /\b(?:promoting|shipping|approving|deploying|releasing|rolling\s+out)\b[^.;:!?]{0,40}?\b(?:is|would\s+be|seems)\s+(?:the\s+right|right|correct|reasonable|sensible|fine|ok|okay|justified|warranted)\b/gi,
];
const HOLD_PATTERNS = [
  new RegExp(
    `\\b(?:unwise|imprudent|premature|too\\s+early|too\\s+risky|risky|dangerous|unsafe)\\s+to\\s+(?:be\\s+)?${SHIP_VERB}\\b`,
    'gi',
  ),
  /\b(?:should|must|needs?\s+to|ought\s+to|has\s+to)\s+(?:be\s+)?(?:held|hold|blocked|block|stopped|paused|delayed|wait)\b/gi,
  /\b(?:justif\w*|warrant\w*|supports?|supporting)\s+(?:blocking|holding|delaying|a\s+hold|the\s+hold)\b/gi,
  /\b(?:hold|holding|blocking|delaying)\s+(?:it|this\s+release|the\s+release)?\s*(?:is|are|was|would\s+be|seems|looks|isn't|wasn't)\s+(?:not\s+)?(?:(?:fully|well|clearly)\s+)?(?:warranted|justified|appropriate|prudent|wise|right|correct|necessary|needed|sensible|reasonable)\b/gi,
];

const APPROVAL_NOUN = '(?:an?\\s+|the\\s+|any\\s+|further\\s+|a\\s+named\\s+)?(?:approvals?|approvers?|sign-?offs?|reviews?)';
const NO_APPROVAL_PATTERNS = [
  new RegExp(`\\b(?:no|without|skip|skipping|skipped|bypass|bypassing|waive|waiving)\\s+${APPROVAL_NOUN}`, 'gi'),
  /\b(?:approvals?|sign-?offs?)\s+(?:is|are|would\s+be|seems)\s+(?:not\s+|un)(?:needed|required|necessary|warranted)\b/gi,
  /\b(?:approvals?|sign-?offs?)\s+(?:isn't|aren't)\s+(?:needed|required|necessary)\b/gi,
  new RegExp(
    `\\b(?:doesn't|does\\s+not|do\\s+not|don't|won't|will\\s+not|need\\s+not|needn't)\\s+(?:need|require)\\s+${APPROVAL_NOUN}`,
    'gi',
  ),
];
const APPROVAL_PATTERNS = [
  new RegExp(`\\b(?:needs?|requires?|required|needing|requiring|warrants?)\\s+${APPROVAL_NOUN}`, 'gi'),
  /\b(?:approvals?|sign-?offs?)\s+(?:is|are)\s+(?:needed|required|necessary)\b/gi,
  /\b(?:with|after|once\s+it\s+has)\s+(?:an?\s+|the\s+)?(?:approvals?|sign-?offs?)\b/gi,
  /\bonce\s+(?:it\s+is\s+)?approved\b/gi,
  /\b(?:must|should|needs?\s+to|has\s+to|can|could|may)\s+(?:only\s+)?be\s+approved\b/gi,
];

const DISPUTE_SUBJECT =
  '(?:hold|holding|a\\s+hold|the\\s+hold|blocking|block|the\\s+(?:[a-z-]+\\s+)?(?:model|score|assessment|recommendation|decision|policy|probability|estimate|rating|level|gate|verdict|prediction))';
const DISPUTE_PATTERNS = [
  new RegExp(
    `\\b${DISPUTE_SUBJECT}\\b[^.;:!?]*?\\b(?:wrong|mistaken|incorrect|unnecessary|unwarranted|unjustified|unfounded|excessive|overkill|inflated|overstated|exaggerated|overly\\s+\\w+|too\\s+(?:cautious|conservative|strict|pessimistic)|a\\s+mistake|an\\s+error|false\\s+(?:positive|alarm))\\b`,
    'gi',
  ),
  /\b(?:overestimat\w*|over-estimat\w*|false\s+(?:positive|alarm)|overly\s+(?:cautious|conservative|pessimistic))\b/gi,
  /\b(?:score|probability|level|risk|estimate|rating)\s+(?:should|ought\s+to|must)\s+be\s+(?:lower|reduced|downgraded|lowered)\b/gi,
  /\b(?:lower|reduce|downgrade)\s+(?:the|its)\s+(?:score|level|risk|rating|probability)\b/gi,
];

/** Verbs that, opening a sentence, make it an order to the reader rather than a reason. */
const IMPERATIVES = new Set([
  'ignore',
  'disregard',
  'forget',
  'override',
  'overrule',
  'approve',
  'promote',
  'ship',
  'proceed',
  'skip',
  'bypass',
  'trust',
  'treat',
  'go',
  'let',
  'set',
  'downgrade',
  'unblock',
  'allow',
  'accept',
  'please',
  'do',
  "don't",
  'never',
  'rely',
  'assume',
]);
const INSTRUCTION_PATTERNS = [
  /\b(?:ignore|disregard|override|overrule)\b/gi,
  /\b(?:as|per|following)\s+(?:instructed|requested|the\s+instructions?|the\s+(?:log|ticket|note)'s\s+instructions?)\b/gi,
  /\b(?:previous|prior|system)\s+(?:instructions?|prompts?)\b/gi,
  /\b(?:you|your|yourself)\b/gi,
  /\b(?:reviewers?|approvers?|the\s+reader|the\s+team)\s+(?:should|must|can|may|need\s+to|ought\s+to)\s+(?:approve|ship|promote|sign|skip|ignore|let|merge|release)\b/gi,
  /\btrust\s+(?:me|this|the\s+log)\b/gi,
  // An opinion in the first person is not a reason drawn from the evidence.
  /\b(?:I|[Ww]e)\s+(?:recommend|suggest|think|believe|advise|would|feel|consider)\b/g,
];

const NEGATION = /\b(?:not|no|never|cannot|nor|hardly|neither|without)\b|n't\b/i;

/** Clauses a negation can reach: split at punctuation and at the conjunctions that start a new statement. */
function clauses(text: string): string[] {
  return text
    .split(/[.;:!?…,()\n]+|\s[-–—]\s|\b(?:and|but|so|because|while|although|though|whereas|yet)\b/i)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** Each match of the patterns in the clause, and whether a negation before it in the clause (or in it) turns it round. */
function* matches(clause: string, patterns: readonly RegExp[]): Generator<{ text: string; groups: string[]; negated: boolean }> {
  for (const re of patterns) {
    for (const m of clause.matchAll(re)) {
      const before = clause.slice(0, m.index);
      yield { text: m[0], groups: m.slice(1), negated: NEGATION.test(`${before} ${m[0]}`) };
    }
  }
}

function complement(levels: readonly RiskLevel[]): RiskLevel[] {
  return ALL_LEVELS.filter((l) => !levels.includes(l));
}

/** The claim's stance; fields it says nothing about stay undefined. */
export function stanceOf(text: string): Stance {
  const s: Stance = {};
  const allowed = new Set<RiskLevel>(ALL_LEVELS);
  let statedLevel = false;
  for (const sentence of text.split(/(?<=[.!?;:…])\s+|\n+/)) {
    const first = /^[\s"'“‘*_-]*([a-z']+)/i.exec(sentence)?.[1]?.toLowerCase();
    if (first && IMPERATIVES.has(first)) s.instruction ??= `opens with an order ("${sentence.trim().slice(0, 40)}")`;
  }
  for (const m of matches(text, INSTRUCTION_PATTERNS)) s.instruction ??= `addresses the reader or repeats an instruction ("${m.text}")`;
  for (const clause of clauses(text)) {
    for (const m of matches(clause, LEVEL_PATTERNS)) {
      const said = LEVEL_WORDS[m.groups[0]!.toLowerCase()] ?? [];
      // "no risk" is a level word that carries its own negation.
      const negated = m.negated && !/^(?:no|zero)\b/i.test(m.groups[0]!);
      for (const l of ALL_LEVELS) if (!(negated ? complement(said) : said).includes(l)) allowed.delete(l);
      statedLevel = true;
    }
    // Saying anywhere that it is safe, or that it may ship, is what counts: a caveat elsewhere does not undo it.
    for (const m of matches(clause, SAFE_PATTERNS)) {
      const selfNegating = /^(?:no|zero)\b|nothing\s+to\s+worry/i.test(m.text);
      const said = !UNSAFE_WORDS.has(m.groups[0]?.toLowerCase() ?? '');
      const safe = selfNegating ? !NEGATION.test(clause.slice(0, clause.indexOf(m.text))) : said !== m.negated;
      s.safe = s.safe || safe;
    }
    for (const m of matches(clause, PROCEED_PATTERNS)) {
      const selfNegating = /^(?:no|without)\s|^no\s+blocker|^nothing\s+blocks/i.test(m.text);
      s.proceed = s.proceed || selfNegating || !m.negated;
    }
    for (const m of matches(clause, HOLD_PATTERNS)) s.proceed = s.proceed || m.negated;
    for (const _ of matches(clause, NO_APPROVAL_PATTERNS)) s.approval = false;
    for (const m of matches(clause, APPROVAL_PATTERNS)) if (s.approval !== false) s.approval = !m.negated;
    for (const m of matches(clause, DISPUTE_PATTERNS)) if (!m.negated) s.disputes ??= m.text;
  }
  if (statedLevel) s.levels = allowed;
  return s;
}

/** Why the stance contradicts the decision, or undefined when it agrees (or says nothing about it). */
export function contradiction(s: Stance, level: RiskLevel, recommendation: Recommendation): string | undefined {
  if (s.instruction) return s.instruction;
  if (s.disputes) return `disputes the assessment ("${s.disputes}")`;
  if (s.levels && !s.levels.has(level)) return `states a level other than ${level}`;
  if (s.safe === true && level !== 'low') return `calls a ${level}-risk release safe`;
  if (s.safe === false && level === 'low') return 'calls a low-risk release unsafe';
  if (s.proceed === true && recommendation === 'hold') return 'says the release may ship; the recommendation is hold';
  if (s.proceed === true && recommendation === 'promote_with_approval' && s.approval !== true)
    return 'says the release may ship without the approval the policy asks for';
  if (s.proceed === false && recommendation !== 'hold') return `says the release must not ship; the recommendation is ${recommendation}`;
  if (s.approval === false && recommendation !== 'promote') return `says no approval is needed; the recommendation is ${recommendation}`;
  if (s.approval === true && recommendation === 'promote') return 'says an approval is needed; the policy asks for none';
  return undefined;
}
