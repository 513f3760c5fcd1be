/** The presets by name, and looking one up from config. */
import { PRESET_NAMES } from '../../../core/presets.js';
import { errors } from '../../../core/messages.js';
import { amplitude } from './amplitude.js';
import { ga4 } from './ga4.js';
import { mixpanel } from './mixpanel.js';
import { posthog } from './posthog.js';
import { segment } from './segment.js';
import type { Preset, PresetName } from './types.js';

const PRESETS: Readonly<Record<PresetName, Preset>> = { segment, amplitude, mixpanel, posthog, ga4 };

/** Preset names in the order the docs list them. */
export { PRESET_NAMES };

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/**
 * The preset called `name` (case and surrounding space ignored: `GA4`, ` Segment`).
 * An unknown name is a user error listing the presets there are.
 *
 * @example
 * getPreset('amplitude').internalEvents.includes('session_start'); // true
 * getPreset('heap'); // throws E_UNKNOWN_PRESET
 */
export function getPreset(name: string): Preset {
  const key = name.trim().toLowerCase();
  if (!isPresetName(key)) throw errors.unknownPreset(name, PRESET_NAMES);
  return PRESETS[key];
}
