/**
 * Vendor presets for ingest: Segment, Amplitude, Mixpanel, PostHog and GA4 exports read as they
 * are and mapped onto canonical event rows (see types.ts for the columns, README for recipes).
 */
export { getPreset, isPresetName, PRESET_NAMES } from './catalog.js';
export { checkShape, detectPreset } from './detect.js';
export { loadPresetEvents, type CanonicalSummary, type LoadOptions } from './load.js';
export { jsonPath } from './sql.js';
export { latestAccountProperties, latestUserAccounts, latestUserProperties } from './props.js';
export type { PropertyColumn, PropertyTable } from './props.js';
export { containerOf, loadPresetRaw, presetReadSql, sampleKeys, type RawPresetTable } from './read.js';
export { CANONICAL_COLUMNS } from './types.js';
export type { CanonicalColumn, Preset, PresetFields, PresetName, RowKind, RowProblem } from './types.js';
