// Flyte 2 / Union: a tenant's endpoint (the SDK's `endpoint`); no public default, so the prompt shows a shape.

import type { PlatformFacts } from '../facts';

export const FLYTE: PlatformFacts = { id: 'flyte', name: 'Flyte', defaultUrl: 'https://tenant.example.com' };
