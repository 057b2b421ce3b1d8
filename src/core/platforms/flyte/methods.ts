// The Connect procedures ML Secrets speaks to Flyte / Union, by path (`/package.Service/Method`),
// with their generated method descriptors (request and response types). One table for the emulator,
// the replay tests and, next, the client.
import type { DescMethod, DescService } from '@bufbuild/protobuf';
import { AuthMetadataService } from './gen/flyteidl2/auth/auth_service_pb';
import { ClusterService } from './gen/flyteidl2/cluster/service_pb';
import { SecretService } from './gen/flyteidl2/secret/secret_pb';

export const FLYTE_METHODS: ReadonlyMap<string, DescMethod> = new Map(
  ([SecretService, ClusterService, AuthMetadataService] as DescService[]).flatMap((service) => service.methods.map((m) => [`/${service.typeName}/${m.name}`, m] as const)),
);
