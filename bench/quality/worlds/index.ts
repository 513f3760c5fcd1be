/**
 * The generalisation benchmark's worlds: eight planted families (synthetic usage logs written
 * from scratch, each hard in its own way) and two real data sets scored against an outcome.
 */
import type { WorldFamily } from '../types.js';
import { consumerTime } from './consumer-time.js';
import { crmFirmographic } from './crm-firmographic.js';
import { farAndNear } from './far-and-near.js';
import { mixOnly } from './mix-only.js';
import { onePopulation } from './one-population.js';
import { signatureEvents } from './signature-events.js';
import { sparseLapsed } from './sparse-lapsed.js';
import { unequalSizes } from './unequal-sizes.js';

export { realWorlds } from './real.js';

export const plantedFamilies: WorldFamily[] = [sparseLapsed, farAndNear, unequalSizes, consumerTime, crmFirmographic, mixOnly, signatureEvents, onePopulation];
