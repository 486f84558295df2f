import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One conversation to replay: the customer turns in order, plus the source's agent turns for reference. */
export interface ReplayConversation {
  id: string;
  locale: string;
  customerTurns: string[];
  /** Every turn in order, as the source has them; used by reports that look at agent turns. */
  turns: Array<{ role: 'customer' | 'agent'; text: string; groundedValues?: Record<string, string> }>;
}

interface ConversationRecord {
  id: string;
  turns: Array<{ role: string; text: string; grounded_values?: Record<string, string> }>;
}

interface UtteranceRecord {
  id: string;
  text: string;
  lang?: string;
}

/**
 * Read a JSONL file of either shipped format: multi-turn records with `turns`
 * (conversations.jsonl) or single customer messages with `text` (utterances.jsonl).
 * A line that is neither is reported with its line number.
 */
export async function* readReplayFile(path: string): AsyncGenerator<ReplayConversation> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim().length === 0) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      throw new Error(`${path}:${lineNumber}: line is not valid JSON`);
    }
    yield toConversation(record, `${path}:${lineNumber}`);
  }
}

function toConversation(record: unknown, where: string): ReplayConversation {
  const value = record as Partial<ConversationRecord & UtteranceRecord>;
  if (Array.isArray(value.turns)) {
    const turns = (value as ConversationRecord).turns
      .filter((turn) => typeof turn.text === 'string')
      .map((turn) => ({
        role: turn.role === 'customer' ? ('customer' as const) : ('agent' as const),
        text: turn.text,
        groundedValues: turn.grounded_values,
      }));
    return {
      id: String(value.id ?? where),
      locale: 'en',
      customerTurns: turns.filter((turn) => turn.role === 'customer').map((turn) => turn.text),
      turns,
    };
  }
  if (typeof value.text === 'string') {
    return {
      id: String(value.id ?? where),
      locale: value.lang ?? 'en',
      customerTurns: [value.text],
      turns: [{ role: 'customer', text: value.text }],
    };
  }
  throw new Error(`${where}: record has neither "turns" nor "text"`);
}
