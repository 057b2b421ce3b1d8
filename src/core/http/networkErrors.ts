// A failed fetch as the user reads it: the error code dug out of the (nested) cause, and a sentence
// naming the host and what went wrong (refused, doesn't resolve, reset, untrusted certificate).

export function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const c = (cur as { code?: unknown; errno?: unknown }).code ?? (cur as { errno?: unknown }).errno;
    if (typeof c === 'string' && c !== 'FETCH_ERROR' && c !== 'ERR_STREAM_PREMATURE_CLOSE') return c;
    cur = (cur as { cause?: unknown; erroredSysCall?: unknown }).cause;
  }
  const msg = e instanceof Error ? e.message : '';
  if (/premature close|socket hang up/i.test(msg)) return 'ECONNRESET';
  return undefined;
}

export function networkMessage(code: string | undefined, safeUrl: string): string {
  const host = (() => {
    try {
      return new URL(safeUrl).host;
    } catch {
      return safeUrl;
    }
  })();
  switch (code) {
    case 'ECONNREFUSED':
      return `Can't reach ${host}: connection refused.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Can't reach ${host}: the host name doesn't resolve (offline?).`;
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return `The connection to ${host} was closed before it answered.`;
    case 'ETIMEDOUT':
      return `Can't reach ${host}: the connection timed out.`;
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `The certificate of ${host} is not trusted (${code}).`;
    default:
      return `Can't reach ${host}${code ? ` (${code})` : ''}.`;
  }
}
