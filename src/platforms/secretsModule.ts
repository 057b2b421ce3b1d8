// What a platform's module offers the secret commands (add, update, delete, share, list, copy).
// Each platform's part is src/platforms/<id>/secrets.ts.

export interface SecretsModule {}
