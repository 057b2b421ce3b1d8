// apolo's module (see src/platforms/types.ts).

import { createClient } from '../../core/platforms/apolo/index';
import type { PlatformModule } from '../types';
import { secrets } from './secrets';
import { signIn } from './signIn';

export const module: PlatformModule = { createClient, ...signIn, ...secrets };
