/**
 * The vendor export shapes segmint reads natively: the one list the config, the CLI's choices,
 * the run-folder schema and the preset catalog (stages/ingest/presets) derive from.
 */
export const PRESET_NAMES = ['segment', 'amplitude', 'mixpanel', 'posthog', 'ga4'] as const;

export type PresetName = (typeof PRESET_NAMES)[number];
