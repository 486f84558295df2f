import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openSqlite, type OpenedDatabase } from '../../src/store/db.js';

/** A database file in a fresh temporary folder; `open` may be called again after `close`. */
export interface TempDatabase {
  url: string;
  /** Open the file with every migration applied. */
  open(): OpenedDatabase;
  /** Close every connection opened here and delete the folder. */
  remove(): void;
}

export function tempDatabase(): TempDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-store-'));
  const url = `file:${join(dir, 'x.db')}`;
  const opened: OpenedDatabase[] = [];
  return {
    url,
    open() {
      const database = openSqlite(url);
      opened.push(database);
      return database;
    },
    remove() {
      for (const database of opened) database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
