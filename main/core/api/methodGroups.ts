// The handlers of a group of API methods (main/common/channels.ts) load on the group's first call.
// A group's module brings the heavy libraries of its work (pdf-lib, pdf.js, exceljs, echarts,
// resvg, the token binding, LibreOffice): a command that lists documents, or a window that only
// shows the registry, never pays for them. This file imports nothing heavy, so the handler table
// can be built before any group is loaded.
import { METHODS_BY_GROUP, type MethodGroup } from '../../common/channels.js';
import type { Handlers } from './invoke.js';

/** The groups whose handlers are always loaded: the registry's, and the exchange's (the sync service runs from the start). */
export type LazyGroup = Exclude<MethodGroup, 'registry' | 'exchange'>;

/** The handlers a group's module must provide: exactly the methods channels.ts gives it. */
export type GroupHandlers<G extends MethodGroup> = Pick<Handlers, (typeof METHODS_BY_GROUP)[G][number]>;

/**
 * Stands in for a group until one of its methods is called, then loads the group once; calls made
 * while it loads wait for the same load, and a load that fails is tried again on the next call.
 * Once loaded, a call goes straight to the handler, in the same turn as before the grouping (a
 * cancel sent from a progress event still lands before the batch goes on).
 */
export function lazyGroup<G extends LazyGroup>(group: G, load: () => Promise<GroupHandlers<G>>): GroupHandlers<G> {
  type Untyped = Record<string, (input: unknown) => unknown>;
  let loaded: Untyped | null = null;
  let loading: Promise<Untyped> | null = null;
  const handlers: Untyped = {};
  for (const method of METHODS_BY_GROUP[group]) {
    handlers[method] = (input) => {
      if (loaded) return loaded[method]!(input);
      loading ??= load().then(
        (group) => (loaded = group as unknown as Untyped),
        (error: unknown) => {
          loading = null;
          throw error;
        },
      );
      return loading.then((group) => group[method]!(input));
    };
  }
  return handlers as unknown as GroupHandlers<G>;
}
