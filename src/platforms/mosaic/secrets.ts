// mosaic: what the secret commands ask and do differently here: a secret has a type (mcli's), lands
// in an env variable or a mounted path, and holds one value or named fields
// (src/platforms/mosaic/secretInput.ts). An update keeps the type and where it lands.

import { MOSAIC_TYPES } from '../../core/platforms/mosaic/secretTypes';
import type { SecretsModule } from '../secretsModule';
import { mosaicInput } from './secretInput';

export const secrets: SecretsModule = {
  secretInput(inv, _t, name, value, mode, current) {
    // An update keeps the type and where the secret lands (env name, mount path); only the value(s)
    // are asked for, the way that type needs them (a key file, registry credentials…).
    const keep = mode === 'update' && current && (MOSAIC_TYPES as readonly string[]).includes(current.type ?? '') ? { type: current.type, envKey: current.scope, mountPath: current.scope, mountDirectory: current.scope } : {};
    return mosaicInput({ ...inv, args: { ...inv.args, ...keep } }, name, value);
  },
};
