export { changedLines, isFixingCommit, isFixingMessage, isOversized, pullRequestOf } from './fixing.js';
export { addDays, DEFAULT_MATURITY_DAYS, type LabelAsOf, labelAsOf } from './label-as-of.js';
export { type DiffHunk, type FileHunks, isMeaningfulLine, linesToBlame, parseZeroContextDiff, toRanges } from './lines.js';
export { type GitTag, type GroupedRelease, groupReleases, type ReleaseOutcome, releaseOutcome } from './releases.js';
export { labelChanges } from './szz.js';
export { type BlamedLine, type ChangeLabel, DEFAULT_SZZ_OPTIONS, type HistoryCommit, type SzzOptions } from './types.js';
export { jitMetricsOf, type MetricsInput } from './jit-metrics.js';
