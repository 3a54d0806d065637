/**
 * What a host needs to run the media engine itself (the Electron app starts it in a
 * `utilityProcess`): re-exported here so hosts import only `core/` and the contract.
 */
export type { EngineChannel, EngineIsolation, EngineLauncher } from '../media/engine/media-engine.js';
