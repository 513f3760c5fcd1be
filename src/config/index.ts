export type { ResolvedConfig, EventsInput, TableInput, UsersInput } from './types.js';
export { loadConfigFile, resolveConfig, configHash, FAMILIES, type ConfigOverrides, type ConfigOrigin } from './resolve.js';
