export type RecordErrorCode = 'already_exists' | 'not_found';

/** An insert found its key taken, or an update found no row with its key. */
export class RecordError extends Error {
  override readonly name = 'RecordError';
  readonly code: RecordErrorCode;
  /** Table the statement ran on, such as `handoffs`. */
  readonly table: string;
  readonly key: string;

  constructor(code: RecordErrorCode, table: string, key: string, message: string) {
    super(message);
    this.code = code;
    this.table = table;
    this.key = key;
  }
}
