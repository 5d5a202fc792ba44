/**
 * What the rules make of one change: its section, or why it is left out.
 * Works on conventional commits (`fix(scope): …`) and on plain sentences
 * ("Fix `rule` false positives") alike, and on labels and touched files when
 * the range has them. Nothing here knows a project: only words and paths.
 */
import type { NotesSection, OmitReason } from '../contracts/notes.js';
import { breakingFooter, parseSubject, revertTarget } from './conventional.js';
import type { Classified, NoteChange } from './types.js';

export interface ClassifyOptions {
  /** Keep dependency bumps as items of a 'dependencies' section (the house notes have one); else they are omitted. */
  keepDependencies?: boolean;
  /**
   * Breaking changes found in the diff (exported symbols removed, options renamed):
   * a hook for a diff reader; when it answers, the change is breaking with that reason.
   */
  breakingFindings?: (change: NoteChange) => string[];
}

type Verdict = { section: NotesSection; omit?: OmitReason; detail?: string };

/** Conventional-commit types and what they mean for the notes. */
const TYPE_VERDICT: Record<string, Verdict> = {
  feat: { section: 'features' },
  feature: { section: 'features' },
  fix: { section: 'fixes' },
  bugfix: { section: 'fixes' },
  hotfix: { section: 'fixes' },
  perf: { section: 'performance' },
  security: { section: 'security' },
  deprecate: { section: 'deprecations' },
  deprecation: { section: 'deprecations' },
  remove: { section: 'removals' },
  revert: { section: 'reverts' },
  deps: { section: 'dependencies', omit: 'dependencies' },
  docs: { section: 'changes', omit: 'docs' },
  doc: { section: 'changes', omit: 'docs' },
  test: { section: 'changes', omit: 'tests' },
  tests: { section: 'changes', omit: 'tests' },
  ci: { section: 'changes', omit: 'ci' },
  workflow: { section: 'changes', omit: 'ci' },
  release: { section: 'changes', omit: 'release' },
  chore: { section: 'changes', omit: 'chore' },
  build: { section: 'changes', omit: 'internal' },
  style: { section: 'changes', omit: 'internal' },
  refactor: { section: 'changes', omit: 'internal' },
  types: { section: 'changes', omit: 'internal' },
};

/** Scopes that say what a user-facing type touched is not user-facing ("fix(ci): …", "feat(deps): …"). */
const SCOPE_VERDICT: [RegExp, Verdict][] = [
  [/^(deps|deps-dev|dependencies|dependency)$/i, { section: 'dependencies', omit: 'dependencies' }],
  [/^(ci|workflows?|github-actions|actions)$/i, { section: 'changes', omit: 'ci' }],
  [/^(tests?|e2e|spec|unit-tests?)$/i, { section: 'changes', omit: 'tests' }],
  [/^(docs?|readme|changelog)$/i, { section: 'changes', omit: 'docs' }],
  [/^release$/i, { section: 'changes', omit: 'release' }],
];

/** The first word of a plain sentence and what it says the change does. */
const VERB_SECTIONS: [RegExp, NotesSection][] = [
  [
    /^(fix|fixes|fixed|fixing|correct|corrects|resolve|resolves|prevent|prevents|avoid|avoids|handle|handles|honor|honour|respect|respects|repair)$/,
    'fixes',
  ],
  [/^(add|adds|added|support|supports|allow|allows|implement|implements|introduce|introduces|expose|exposes|new)$/, 'features'],
  // Not "update", "use", "make", "switch": in plain subjects they name tooling and upkeep far more often than news.
  [/^(change|changes|changed|improve|improves|improved|rename|renames)$/, 'changes'],
  [/^(deprecate|deprecates|deprecated)$/, 'deprecations'],
  [/^(remove|removes|removed|drop|drops|dropped|delete|deletes)$/, 'removals'],
  [/^(revert|reverts|reverted|undo)$/, 'reverts'],
  [/^(speed|optimize|optimise|optimizes|optimises)$/, 'performance'],
  [/^(security)$/, 'security'],
];

/** First words that say, on their own, that nothing a user sees changed. */
const VERB_OMITS: [RegExp, OmitReason][] = [
  [
    /^(refactor|refactors|refactored|refactoring|simplify|simplifies|cleanup|clean|tidy|restructure|reorganize|reorganise|rewrite|migrate|inline|extract|rename internal)$/,
    'internal',
  ],
  [/^(document|documents|documented|docs|doc|documentation|readme|typo|typos|spellcheck)$/, 'docs'],
  [/^(test|tests|testing)$/, 'tests'],
  [/^(ci|workflow|workflows)$/, 'ci'],
  [/^(bump|bumps|upgrade|upgrades|downgrade|pin|unpin)$/, 'dependencies'],
  [/^(prepare|release|releasing|publish)$/, 'release'],
  [/^(chore|lint|format|wip|sync|merge)$/, 'chore'],
];

/**
 * What a plain sentence's object says when its verb is user-facing ("Fix typo in docs",
 * "Add Node.js v26 to test matrix on CI"). Matched outside `code spans`, where rule and
 * option names live and say nothing about docs or tests.
 */
const OBJECT_OMITS: [RegExp, OmitReason][] = [
  [/\b(npm audit|audit fix|vulnerable dependencies|package-lock|lock ?file|lockfile)\b/i, 'dependencies'],
  [/\b(ci|workflows?|github actions?|dependabot|renovate|codecov|codeql|pkg\.pr\.new|runners?|test matrix|pipelines?)\b/i, 'ci'],
  [/\b(tests?|test cases?|testing|fixtures?|flaky|coverage|jest|vitest|snapshots?)\b/i, 'tests'],
  [
    /(\b(docs?|documentation|readme|guides?|changelog|typos?|badges?|website|homepage|wording|jsdoc|markdown|code comments?|(issue|bug report|pr|pull request) templates?)\b|\.md\b)/i,
    'docs',
  ],
  [
    /\b(benchmarks?|scripts?|linting|eslint|prettier|husky|lint-staged|changesets?|tsconfig|release (title|process|workflow)|todos?|codeowners)\b/i,
    'chore',
  ],
];

/**
 * `Code spans` that name a file or a tool of the project's own upkeep, not a rule or an option:
 * "Update `user-guide/ignore-code.md`", "Fix `patch-package` warning", "Fix `npm run release` error".
 */
const CODE_OMITS: [RegExp, OmitReason][] = [
  [/^(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|npm audit.*)$/i, 'dependencies'],
  [/(^|\/)\.github\/|\.ya?ml$/i, 'ci'],
  [/\.(md|mdx|rst)$|^docs?\//i, 'docs'],
  [/^(jest[\w-]*|vitest|mocha|[\w-]*test[\w-]*\.[cm]?[jt]s)$/i, 'tests'],
  [
    /^(husky|patch-package|eslint[\w-]*|prettier|lint-staged|tsconfig(\.\w+)?\.json|npm (run|ci|install)\b.*|npx .*|scripts\/.*)$/i,
    'chore',
  ],
];

const codeSpans = (s: string) => [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.trim());

/** Removals whose object is the project's own code ("Remove unused modules", "Drop no longer needed patch"). */
const INTERNAL_REMOVAL = /\b(unused|no longer (used|needed)|unneeded|redundant|dead code|internal|utility|utils?|type dep)\b/i;

const LABEL_VERDICT: [RegExp, Verdict][] = [
  [
    /^(skip[- ]?(changelog|release[- ]?notes)|no[- ]?(changelog|release[- ]?notes)|changelog:? ?skip|ignore[- ]for[- ]release)$/i,
    { section: 'changes', omit: 'chore' },
  ],
  [/^(breaking|breaking[- ]change|semver[:-]? ?major|major)$/i, { section: 'breaking' }],
  [/^(security|cve)$/i, { section: 'security' }],
  [/^(dependencies|deps|dependency)$/i, { section: 'dependencies', omit: 'dependencies' }],
  [/^(documentation|docs)$/i, { section: 'changes', omit: 'docs' }],
  [/^(ci|github[_ -]actions)$/i, { section: 'changes', omit: 'ci' }],
  [/^(tests?|testing)$/i, { section: 'changes', omit: 'tests' }],
  [/^(bug|bugfix|type: ?bug|kind\/bug|fix)$/i, { section: 'fixes' }],
  [/^(enhancement|feature|type: ?feature|kind\/feature)$/i, { section: 'features' }],
  [/^(performance|perf)$/i, { section: 'performance' }],
  [/^(deprecation|deprecated)$/i, { section: 'deprecations' }],
];

const MERGE_SUBJECT = /^Merge (pull request|branch|remote-tracking branch|tag|commit|[0-9a-f]{7,40}\b)/i;
/** "15.1.0", "v3.5.6", "release: v3.5.6", "chore(release): 1.2.0", "Prepare release (#6639)", "Release 16.25.0", "16.0.0-3". */
const RELEASE_SUBJECT =
  /^(v?\d+\.\d+\.\d+([-+][\w.-]+)?|(chore|build)\(release\):.*|release(\([^)]*\))?:\s*v?\d.*|(prepare|release|publish)( new)?( release| version)?( v?\d+\.\d+\.\d+([-+][\w.-]+)?)?|(chore|build)(\([^)]*\))?: (bump|release|set) version.*|bump version.*|version (packages|bump).*)$/i;
const DEPENDENCY_SUBJECT =
  /^(bump|bumps|upgrade|update|updates|pin)\b.*(\bfrom\s+\S+\s+to\s+\S+|\bdependenc(y|ies)\b|\bdeps?\b|\bthe .+ group\b|\bgroup with \d+ updates?\b)|^update dependency\b|^(bump|upgrade|pin) [@\w./-]+$/i;
const SECURITY_WORDS = /\b(security|vulnerabilit(y|ies)|cve-\d{4}-\d+|ghsa-[\w-]+|xss|csrf|injection|prototype pollution)\b/i;
/** The verb, not the noun: "deprecate `x`" is a deprecation, "add a deprecation notice" is a feature. */
const DEPRECATION_VERB = /^deprecat|\b(deprecates?|deprecating)\b/i;
const TEST_PATH =
  /(^|\/)(__tests__|tests?|spec|specs|e2e|__snapshots__|fixtures?)\/|\.(test|spec)\.[cm]?[jt]sx?$|_test\.(go|py|rb)$|(^|\/)test_[^/]+\.py$/i;
const DOC_PATH = /(^|\/)docs?\/|\.(md|mdx|rst|adoc|txt)$|(^|\/)(README|CHANGELOG|CONTRIBUTING|LICENSE)[^/]*$/i;
const CI_PATH =
  /^(\.github|\.ci|\.circleci|\.gitlab|\.buildkite)\/|^(\.travis\.yml|\.gitlab-ci\.yml|azure-pipelines\.yml|Jenkinsfile|renovate\.json|\.drone\.yml)$/i;

const outsideCode = (s: string) => s.replace(/`[^`]*`/g, ' ');

/** The verdict the touched files give, when every file is a test, a doc or CI configuration. */
function filesVerdict(change: NoteChange): Verdict | null {
  const paths = change.files.map((f) => f.path);
  if (paths.length === 0) return null;
  if (paths.every((p) => TEST_PATH.test(p))) return { section: 'changes', omit: 'tests', detail: 'touches tests only' };
  if (paths.every((p) => DOC_PATH.test(p))) return { section: 'changes', omit: 'docs', detail: 'touches documentation only' };
  if (paths.every((p) => CI_PATH.test(p))) return { section: 'changes', omit: 'ci', detail: 'touches CI configuration only' };
  if (paths.every((p) => TEST_PATH.test(p) || DOC_PATH.test(p) || CI_PATH.test(p)))
    return { section: 'changes', omit: 'chore', detail: 'touches tests, docs and CI only' };
  return null;
}

function labelVerdict(change: NoteChange): Verdict | null {
  for (const label of change.labels) {
    const hit = LABEL_VERDICT.find(([re]) => re.test(label.trim()));
    if (hit) return { ...hit[1], detail: `label "${label}"` };
  }
  return null;
}

/** A plain sentence: its first word, then what its object says. */
function sentenceVerdict(description: string, firstWord: string, opts: ClassifyOptions): Verdict {
  if (DEPENDENCY_SUBJECT.test(description)) return dependencyVerdict(opts);
  const omitted = VERB_OMITS.find(([re]) => re.test(firstWord));
  if (omitted) {
    if (omitted[1] === 'dependencies') return dependencyVerdict(opts);
    return { section: 'changes', omit: omitted[1], detail: `"${firstWord}"` };
  }
  const verb = VERB_SECTIONS.find(([re]) => re.test(firstWord));
  if (!verb)
    return { section: 'changes', omit: 'chore', detail: `the subject does not say what users get ("${firstWord || description}")` };
  const object = outsideCode(description);
  const objectOmit = OBJECT_OMITS.find(([re]) => re.test(object));
  if (objectOmit) return { section: verb[1], omit: objectOmit[1], detail: `about ${objectOmit[0].exec(object)![0].trim()}` };
  for (const code of codeSpans(description)) {
    const hit = CODE_OMITS.find(([re]) => re.test(code));
    if (hit) return { section: verb[1], omit: hit[1], detail: `about \`${code}\`` };
  }
  if (verb[1] === 'removals' && INTERNAL_REMOVAL.test(object))
    return { section: 'removals', omit: 'internal', detail: 'removes internal code' };
  if (verb[1] !== 'security' && SECURITY_WORDS.test(object) && verb[1] === 'fixes') return { section: 'security' };
  return { section: verb[1] };
}

function dependencyVerdict(opts: ClassifyOptions): Verdict {
  return opts.keepDependencies ? { section: 'dependencies' } : { section: 'dependencies', omit: 'dependencies' };
}

/** A conventional header: its type, then its scope, then breaking and security words. */
function conventionalVerdict(type: string, scope: string | null, description: string, opts: ClassifyOptions): Verdict {
  const byScope = scope ? SCOPE_VERDICT.find(([re]) => re.test(scope))?.[1] : undefined;
  if (byScope) return byScope.omit === 'dependencies' ? dependencyVerdict(opts) : { ...byScope, detail: `${type}(${scope})` };
  if (type === 'chore' && DEPENDENCY_SUBJECT.test(description)) return dependencyVerdict(opts);
  const byType = TYPE_VERDICT[type];
  if (!byType) {
    // Not a conventional type but an area ("net: fix …", "CLI: add …", "Docs: …"): the area may say the
    // change is docs, tests or CI; otherwise the sentence after it is read like any plain subject.
    const byArea = SCOPE_VERDICT.find(([re]) => re.test(type))?.[1];
    if (byArea) return byArea.omit === 'dependencies' ? dependencyVerdict(opts) : { ...byArea, detail: `area "${type}"` };
    return sentenceVerdict(description, parseSubject(description).firstWord, opts);
  }
  if (byType.omit === 'dependencies') return dependencyVerdict(opts);
  if (byType.omit) return { ...byType, detail: `type "${type}"` };
  if (byType.section === 'fixes' && SECURITY_WORDS.test(outsideCode(description))) return { section: 'security' };
  return byType;
}

/** The verdict before breaking markers: merges, releases, labels, files, then the subject. */
function baseVerdict(change: NoteChange, opts: ClassifyOptions): Verdict {
  const subject = change.subject.trim();
  if (change.isMerge || MERGE_SUBJECT.test(subject)) return { section: 'changes', omit: 'merge' };
  const parsed = parseSubject(subject);
  if (RELEASE_SUBJECT.test(parsed.description) || RELEASE_SUBJECT.test(subject)) return { section: 'changes', omit: 'release' };
  const label = labelVerdict(change);
  if (label?.omit === 'chore') return label; // an explicit "skip changelog" wins over anything the words say
  const files = filesVerdict(change);
  if (files) return files;
  if (label) return label.omit === 'dependencies' ? dependencyVerdict(opts) : label;
  const revert = revertTarget(subject, change.body);
  if (revert && (parsed.type === null || parsed.type === 'revert')) return revertVerdict(revert.subject, opts);
  const verdict = parsed.type
    ? conventionalVerdict(parsed.type, parsed.scope, parsed.description, opts)
    : sentenceVerdict(parsed.description, parsed.firstWord, opts);
  return verdict.omit === 'chore' && !verbSection(parsed.firstWord) ? (branchVerdict(change, opts) ?? verdict) : verdict;
}

/** Rank of what a branch's commits say, most user-facing first: the pull request is listed as its best one. */
const BRANCH_RANK: NotesSection[] = ['breaking', 'security', 'features', 'fixes', 'performance', 'deprecations', 'removals', 'changes'];

/**
 * A merged pull request whose title says nothing ("Feature/wishlist"): its branch's commit subjects, listed
 * as `* subject` lines in its message, decide (the most user-facing one that the rules keep), so a branch
 * of `feat:` commits is not left out as a chore for its title.
 */
function branchVerdict(change: NoteChange, opts: ClassifyOptions): Verdict | null {
  const subjects = [...change.body.matchAll(/^\* (.+)$/gm)].map((m) => m[1]!.trim());
  let best: Verdict | null = null;
  for (const subject of subjects) {
    const p = parseSubject(subject);
    if (!p.type && !verbSection(p.firstWord)) continue;
    const v = p.type ? conventionalVerdict(p.type, p.scope, p.description, opts) : sentenceVerdict(p.description, p.firstWord, opts);
    if (v.omit) continue;
    if (!best || BRANCH_RANK.indexOf(v.section) < BRANCH_RANK.indexOf(best.section)) best = v;
  }
  return best && { ...best, detail: 'from its commits: the title does not say' };
}

/**
 * A revert of something released earlier: in 'reverts', unless what it reverts was
 * itself nothing users see (a CI tweak, a dependency bump): then it is left out alike.
 */
function revertVerdict(targetSubject: string | null, opts: ClassifyOptions): Verdict {
  if (!targetSubject) return { section: 'reverts' };
  const target = baseVerdict(
    {
      key: 'target',
      pr: null,
      shas: [],
      subject: targetSubject.replace(/…$/, ''),
      body: '',
      author: null,
      date: null,
      labels: [],
      files: [],
      isMerge: false,
    },
    opts,
  );
  if (target.omit && target.omit !== 'merge') return { section: 'reverts', omit: target.omit, detail: `reverts "${targetSubject}"` };
  return { section: 'reverts' };
}

export function classify(change: NoteChange, opts: ClassifyOptions = {}): Classified {
  const parsed = parseSubject(change.subject);
  const verdict = baseVerdict(change, opts);
  const footer = breakingFooter(change.body);
  const found = opts.breakingFindings?.(change) ?? [];
  const breaking = (parsed.bang || footer !== null || verdict.section === 'breaking' || found.length > 0) && verdict.omit !== 'merge';
  const out: Classified = { change, section: verdict.section, type: parsed.type, scope: parsed.scope, breaking };
  if (breaking && verdict.omit !== 'release') {
    out.section = 'breaking';
    const why = footer ?? found[0] ?? (parsed.bang ? `"${parsed.type}!" in the subject` : verdict.detail);
    if (why) out.detail = why;
    return out;
  }
  // "feat: deprecate `foo`", "Change X to deprecate Y"; a fix that mentions deprecation stays a fix.
  if (
    !verdict.omit &&
    (verdict.section === 'changes' || verdict.section === 'features') &&
    DEPRECATION_VERB.test(outsideCode(parsed.description))
  ) {
    out.section = 'deprecations';
  }
  if (verdict.omit) out.omit = verdict.omit;
  if (verdict.detail) out.detail = verdict.detail;
  return out;
}

/** The section a plain sentence's first word names ("fix" → fixes), or null: a line prefix ("Fixed: ") replaces such a verb. */
export function verbSection(word: string): NotesSection | null {
  return VERB_SECTIONS.find(([re]) => re.test(word.toLowerCase()))?.[1] ?? null;
}
