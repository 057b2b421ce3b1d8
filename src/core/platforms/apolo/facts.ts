// Apolo and its older name Neu.ro: one API, two CLIs, two default servers.

import type { PlatformFacts } from '../facts';

export const APOLO_DEFAULT_URL = 'https://api.apolo.us/api/v1';
export const NEURO_DEFAULT_URL = 'https://staging.neu.ro/api/v1';

export const APOLO: PlatformFacts = { id: 'apolo', name: 'Apolo', defaultUrl: APOLO_DEFAULT_URL };
export const NEURO: PlatformFacts = { id: 'neuro', name: 'Neu.ro', defaultUrl: NEURO_DEFAULT_URL };
