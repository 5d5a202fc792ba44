export { renderHtml } from './html.js';
export { renderMarkdown } from './markdown.js';
export { escapeHtml, escapeMarkdown } from './escape.js';
export { headlineTable, serviceTable, modelNames, mainModel, BASELINE, MAIN_MODEL } from './tables.js';
