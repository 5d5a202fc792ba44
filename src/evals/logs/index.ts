export { type GroupingAccuracy, groupingAccuracy } from './grouping-accuracy.js';
export { binaryLines, type LogEval, runLogEval, splitLogLines, templatesCsv } from './run.js';
export { generateLabelledLog, type LabelledLine, LOG_STYLES, type LogStyle } from './synthetic/index.js';
