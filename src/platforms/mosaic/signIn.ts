// mosaic: sign-in prompts, sign-in from an argument object and the CLI import.

import type { SignInModule } from '../signInModule';

export const signIn: SignInModule = {};
