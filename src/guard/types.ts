/** Shared shapes of the guard: sender keys, decisions and counters. */

/** `${channel}:${senderId}`, the key for every per-sender limit, list and risk entry. */
export type SenderKey = string;

/** Build the sender key of a message. */
export function senderKeyOf(channel: string, senderId: string): SenderKey {
  return `${channel}:${senderId}`;
}

/** Reason code of an input rejection; each has its own localized reply. */
export type InputRejectReason =
  | 'empty'
  | 'too_long'
  | 'control_chars'
  | 'unsupported_sticker'
  | 'unsupported_voice'
  | 'unsupported_audio'
  | 'unsupported_image'
  | 'unsupported_video'
  | 'unsupported_file'
  | 'unsupported_location'
  | 'unsupported_contact'
  | 'unsupported_other';

/** Decision of the guard for one inbound message. */
export type GuardDecision =
  | {
      action: 'allow';
      sender: SenderKey;
      /** Text for the agent: NFC, control characters removed, trimmed. */
      normalizedText: string;
      risk: number;
    }
  | {
      action: 'reject_input';
      sender: SenderKey;
      reason: InputRejectReason;
      /** i18n key of the reply, such as `guard.input.sticker`. */
      replyKey: string;
      replyVars: Record<string, number>;
    }
  | {
      action: 'blocked';
      sender: SenderKey;
      /** True only for the first message after the block was placed; send one notice then. */
      notify: boolean;
    }
  | {
      action: 'limited';
      sender: SenderKey;
      /** Name of the window whose limit was reached, such as `minute` or `hour`. */
      window: string;
      retryAfterMs: number;
      /** True only for the first limited message per window and sender. */
      notify: boolean;
      risk: number;
    };

/** Plain counters since the guard was created; the lead exports them to Prometheus. */
export interface GuardStats {
  allowed: number;
  /** Messages from blocked senders. */
  blocked: number;
  /** Limited messages per window name. */
  limited: Record<string, number>;
  /** Limit notices the guard asked for (at most one per window and sender). */
  limitNotices: number;
  /** Rejected messages per input reason. */
  rejectedInput: Partial<Record<InputRejectReason, number>>;
  /** Messages from allowlisted senders, which skip limits. */
  allowlisted: number;
}
