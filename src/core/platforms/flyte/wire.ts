// The Flyte wire: the generated flyteidl2 types (src/core/platforms/flyte/gen, `npm run gen:proto`)
// over @connectrpc/connect's Connect-protocol transport, with ML Secrets' own HttpClient as its HTTP
// layer. Connect does the protocol (codecs, request compression, error envelopes, content-type
// checks); the HttpClient keeps doing what only it does: tokens bound to their origins, redirects
// refused across origins, retries, timeouts, response caps and decompression, redacted errors.
//
// This file (with the Connect stack and the generated types, ≈ 200 KB) is its own bundle,
// dist/flyteWire.js, loaded on the first Flyte call: activation and the other platforms never pay.
//
// The codec: binary protobuf, gzip-compressed, as the official flyte SDK sends and connect-go serves
// by default. A server that refuses `application/proto` with 415 (a connect-go handler configured for
// JSON only) gets the JSON codec from then on — once, for the client's lifetime.

import { randomUUID } from 'node:crypto';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { create, type DescMessage, type DescMethodUnary, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { codeToString, createTransport } from '@connectrpc/connect/protocol-connect';
import type { UniversalClientFn, UniversalClientResponse } from '@connectrpc/connect/protocol';
import { compressionGzip } from '@connectrpc/connect-node';
import { AuthError, CancelledError, ConflictError, HttpError, NotFoundError, PermissionError, ProtocolError, TimeoutError, UnsupportedError } from '../../errors';
import type { HttpClient, HttpResponse } from '../../http/httpClient';
import type { RenewableToken } from '../../http/renewableToken';
import { printable } from '../../text';
import { AuthMetadataService } from './gen/flyteidl2/auth/auth_service_pb';
import { ClusterService } from './gen/flyteidl2/cluster/service_pb';
import { SelectClusterRequest_Operation } from './gen/flyteidl2/cluster/payload_pb';
import { OverallStatus, SecretPresenceStatus, SecretType } from './gen/flyteidl2/secret/definition_pb';
import { SecretService } from './gen/flyteidl2/secret/secret_pb';

export type FlyteCodec = 'proto' | 'json';

/** Everything the platform client needs from the generated code, by value (the client imports only types). */
export const flyte = {
  SecretService: SecretService.method,
  ClusterService: ClusterService.method,
  AuthMetadataService: AuthMetadataService.method,
  SecretType,
  OverallStatus,
  SecretPresenceStatus,
  USE_SECRETS: SelectClusterRequest_Operation.USE_SECRETS,
  timestampDate,
};

export interface WireCall {
  /** `http(s)://host[:port]`: the procedure path is appended. */
  baseUrl: string;
  /** With a token, bound to these origins; without, an anonymous call (no redirect to another origin). */
  auth?: { origins: readonly string[]; header: string; session: RenewableToken };
  /** "list the secrets of …": the errors say what failed. */
  what: string;
  idempotent: boolean;
  maxResponseBytes: number;
  signal?: AbortSignal;
}

/** What one call saw below Connect: the failure of the HTTP layer itself, or the answer's status. */
interface CallBox {
  error?: unknown;
  status?: number;
  refusedCodec?: boolean;
}

/** 415 to a proto request: the server speaks JSON only. */
class CodecRefused extends Error {}

const PROTO = /^application\/proto(?:;|$)/i;
const JSON_TYPE = /^application\/json(?:;|$)/i;

export class FlyteWire {
  /** The generated enums and methods, for the client (which imports only types from here). */
  readonly flyte = flyte;

  constructor(
    private readonly http: HttpClient,
    /** 'auto': proto, or JSON after a 415. */
    private codec: FlyteCodec | 'auto' = 'auto',
    private readonly log?: (message: string) => void,
  ) {}

  /** The codec the next call uses. */
  get currentCodec(): FlyteCodec {
    return this.codec === 'json' ? 'json' : 'proto';
  }

  /** One unary call; typed errors (AuthError, NotFoundError, …) for every failure, never a ConnectError. */
  async unary<I extends DescMessage, O extends DescMessage>(method: DescMethodUnary<I, O>, init: MessageInitShape<I>, call: WireCall): Promise<MessageShape<O>> {
    const message = create(method.input, init);
    const codec = this.currentCodec;
    try {
      return await this.once(method, message, call, codec);
    } catch (e) {
      if (!(e instanceof CodecRefused)) throw e;
      if (this.codec !== 'auto') throw new HttpError(415, `Flyte does not take the ${codec === 'proto' ? 'binary protobuf' : 'JSON'} codec (415 Unsupported Media Type); couldn't ${call.what}.`);
      this.codec = 'json';
      this.log?.(`Flyte at ${new URL(call.baseUrl).origin} does not take the binary protobuf codec (415): using JSON.`);
      return this.once(method, message, call, 'json');
    }
  }

  private async once<I extends DescMessage, O extends DescMessage>(method: DescMethodUnary<I, O>, message: MessageShape<I>, call: WireCall, codec: FlyteCodec): Promise<MessageShape<O>> {
    const box: CallBox = {};
    const transport = createTransport({
      httpClient: this.httpClient(call, codec, box),
      baseUrl: call.baseUrl,
      useBinaryFormat: codec === 'proto',
      interceptors: [],
      // Responses: the HttpClient asks for gzip and decompresses (under its size cap) itself.
      acceptCompression: [],
      sendCompression: codec === 'proto' ? compressionGzip : null,
      compressMinBytes: 0,
      readMaxBytes: call.maxResponseBytes,
      writeMaxBytes: 4 * 1024 * 1024,
      jsonOptions: { ignoreUnknownFields: true },
      binaryOptions: { readUnknownFields: false },
    });
    try {
      const res = await transport.unary(method, call.signal, undefined, undefined, message);
      return res.message;
    } catch (e) {
      if (box.refusedCodec) throw new CodecRefused();
      if (box.error !== undefined) throw box.error;
      if (call.signal?.aborted) throw new CancelledError();
      throw connectFailure(e, box, call.what);
    }
  }

  /** Connect's HTTP client: ML Secrets' HttpClient, with the token (renewed once after a 401) for `call.auth`. */
  private httpClient(call: WireCall, codec: FlyteCodec, box: CallBox): UniversalClientFn {
    return async (req) => {
      try {
        const chunks: Uint8Array[] = [];
        if (req.body) for await (const c of req.body) chunks.push(c);
        const bytes = Buffer.concat(chunks);
        const headers: Record<string, string> = {};
        req.header.forEach((v, k) => {
          // The HttpClient sets Content-Type from `raw` and negotiates response compression itself.
          if (k !== 'content-type' && k !== 'accept-encoding') headers[k] = v;
        });
        headers['accept'] = codec === 'proto' ? 'application/proto' : 'application/json';
        // As the SDK does: one id per call, for the server's logs.
        headers['x-request-id'] = randomUUID();
        const contentType = req.header.get('content-type') ?? (codec === 'proto' ? 'application/proto' : 'application/json');
        const send = (token?: string): Promise<HttpResponse> =>
          this.http.request({
            method: 'POST',
            url: req.url,
            raw: { bytes, contentType },
            headers,
            auth: call.auth && token !== undefined ? { origins: call.auth.origins, header: call.auth.header, value: `Bearer ${token}` } : undefined,
            idempotent: call.idempotent,
            maxResponseBytes: call.maxResponseBytes,
            allowCrossOriginRedirect: false,
            signal: call.signal,
          });
        // An anonymous call (discovery) follows no redirect to another origin: the HttpClient refuses it.
        const res = call.auth ? await call.auth.session.send((token) => send(token), call.signal) : await send();
        box.status = res.status;
        const type = res.headers.get('content-type') ?? '';
        if (res.status === 415 && codec === 'proto') {
          box.refusedCodec = true;
          throw new CodecRefused();
        }
        if (res.status === 200 && !(codec === 'proto' ? PROTO : JSON_TYPE).test(type)) {
          const html = /^text\/html/i.test(type) || /^\s*</.test(res.text.slice(0, 200));
          throw new ProtocolError(`Flyte answered with something other than a ${codec === 'proto' ? 'protobuf' : 'JSON'} message while trying to ${call.what}${html ? ' (an HTML page: a sign-in page or proxy?)' : ''}.`);
        }
        const header = new Headers();
        // The body is already decompressed: Content-Encoding and Content-Length no longer apply.
        if (type) header.set('content-type', type);
        const answer: UniversalClientResponse = {
          status: res.status,
          header,
          trailer: new Headers(),
          body: (async function* () {
            yield res.bytes;
          })(),
        };
        return answer;
      } catch (e) {
        box.error ??= e;
        throw e;
      }
    };
  }
}

/** A Connect error as ML Secrets' typed errors; the server's message is redacted, cut and never trusted as a name. */
function connectFailure(e: unknown, box: CallBox, what: string): Error {
  const ce = ConnectError.from(e);
  const status = box.status ?? 0;
  if (status === 200) {
    // A 200 whose body Connect could not read as the message.
    return new ProtocolError(`Flyte answered with a message that could not be read while trying to ${what}.`);
  }
  const code = codeToString(ce.code);
  // (Errors redact their texts when they are built.)
  const raw = ce.rawMessage && !/^HTTP \d+$/.test(ce.rawMessage) ? printable(ce.rawMessage, 300) : undefined;
  const suffix = raw ? `: ${raw}` : '.';
  switch (ce.code) {
    case Code.Unauthenticated:
      return new AuthError(`Flyte did not accept the token when trying to ${what}. Sign in again.`);
    case Code.PermissionDenied:
      return new PermissionError(`Flyte refused to ${what}${suffix}`);
    case Code.NotFound:
      return new NotFoundError(`Not found while trying to ${what}${suffix}`, raw);
    case Code.AlreadyExists:
      return new ConflictError(`Couldn't ${what}: a secret with that name already exists in that scope${raw ? ` (${raw})` : ''}. Use Update Secret to change it.`, raw);
    case Code.InvalidArgument:
    case Code.FailedPrecondition:
    case Code.OutOfRange:
      return new HttpError(400, `Flyte rejected the request to ${what}${suffix}`, raw);
    case Code.Unimplemented:
      return new UnsupportedError(`This Flyte server can't ${what}${suffix}`);
    case Code.ResourceExhausted:
      return new HttpError(429, `Flyte is rate-limiting requests; couldn't ${what}. Try again shortly.`, raw);
    case Code.DeadlineExceeded:
      return new TimeoutError(`Flyte timed out trying to ${what}.`);
    case Code.Unavailable:
      return new HttpError(status === 429 ? 429 : 503, status === 429 ? `Flyte is rate-limiting requests; couldn't ${what}. Try again shortly.` : `Flyte is unavailable; couldn't ${what}${suffix}`, raw);
    default:
      return new HttpError(status || 500, `Flyte had an error (${code}, ${status || 'no status'}) trying to ${what}${suffix}`, raw);
  }
}
