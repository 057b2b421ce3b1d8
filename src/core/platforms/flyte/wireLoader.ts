// The Flyte wire (./wire.ts: the generated types and the Connect stack, its own bundle
// dist/flyteWire.js) is loaded here, once, on the first Flyte call; everything else in this folder
// imports only its types.

export type WireModule = typeof import('./wire');
let wireModule: Promise<WireModule> | undefined;

/** The wire bundle (dist/flyteWire.js): loaded once, on the first Flyte call. */
export function loadFlyteWire(): Promise<WireModule> {
  wireModule ??= import('./wire.js');
  return wireModule;
}
