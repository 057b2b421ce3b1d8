// mlSecrets.clearSecretsFilter: the Secrets view shows every secret again (see ./filterSecrets.ts).

import type { FilteredSecretsTree } from '../tree/filter';

export function clearSecretsFilter(tree: FilteredSecretsTree): void {
  tree.setFilter('');
}
