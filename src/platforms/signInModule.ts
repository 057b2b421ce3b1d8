// What a platform's module offers the sign-in commands (src/commands/signIn.ts, importCliCredentials.ts).
// Each platform's part is src/platforms/<id>/signIn.ts.

export interface SignInModule {}
