import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { isSealed } from './sealed';

/**
 * Opens sealed values in the named result columns (camelCase, after `CamelCasePlugin`) of every
 * query, so each reader of a resident ID number — masks, birth date and sex from the RIC, licence
 * signatures — sees the plain value without having to remember to open it. Plain values (rows
 * stored before sealing, credit codes) pass through. To read the stored text itself, select the
 * column under another name.
 */
export class OpenSealedColumnsPlugin implements KyselyPlugin {
  readonly #columns: readonly string[];
  readonly #open: (stored: string) => string;

  constructor(columns: readonly string[], open: (stored: string) => string) {
    this.#columns = columns;
    this.#open = open;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const { rows } = args.result;
    if (!rows || rows.length === 0) return args.result;
    let changed = false;
    const opened = rows.map((row) => {
      let out: UnknownRow | null = null;
      for (const column of this.#columns) {
        const value = row[column];
        if (typeof value === 'string' && isSealed(value)) {
          out ??= { ...row };
          out[column] = this.#open(value);
        }
      }
      if (out) changed = true;
      return out ?? row;
    });
    return changed ? { ...args.result, rows: opened } : args.result;
  }
}
