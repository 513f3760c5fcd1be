/** The report stage: report.md and report.html rendered from a run's documents alone. */
export { renderMarkdown } from './markdown.js';
export { renderHtml } from './html.js';
export { writeReports } from './write.js';
export { escapeHtml } from './escape.js';
export type { PromotedMatch, PromotedMatches, PromotedMiss, ReportExtras } from './promoted.js';
