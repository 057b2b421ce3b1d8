// ZenML: a self-hosted (or ZenML Pro) server; there is no public default, so the prompt shows a shape.

import type { PlatformFacts } from '../facts';

export const ZENML: PlatformFacts = { id: 'zenml', name: 'ZenML', defaultUrl: 'https://zenml.example.com' };
