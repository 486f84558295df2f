import { LRUCache } from 'lru-cache';

import { systemClock, type Clock } from '../clock.js';
import { findInjectionMarkers } from './injection.js';
import { estimateJaccard, sketchOf } from './similarity.js';
import type { SenderKey } from './types.js';

/** Observable behaviour that raises a sender's risk score. */
export type RiskSignal =
  | 'burst'
  | 'repeat'
  | 'long'
  | 'injection'
  | 'validatorRejection'
  | 'limited'
  | 'blocked'
  | 'newSender';

/** Weight of each signal: its contribution to the score when the signal is at full level. */
export type RiskWeights = Record<RiskSignal, number>;

/**
 * Default weights. The score is the sum of weight x level, capped at 1. No default weight
 * reaches 0.5, so limits tighten hard only when several signals occur together.
 */
export const DEFAULT_RISK_WEIGHTS: RiskWeights = {
  burst: 0.25,
  repeat: 0.3,
  long: 0.1,
  injection: 0.35,
  validatorRejection: 0.3,
  limited: 0.25,
  blocked: 0.4,
  newSender: 0.1,
};

/** Options of `RiskTracker`; every field has a default. */
export interface RiskOptions {
  /** Time after which every event counts half, in ms. Default 10 minutes. */
  halfLifeMs?: number;
  weights?: Partial<RiskWeights>;
  /** A message is part of a burst when `burstCount` messages arrived within this many ms. Default 10 s. */
  burstWindowMs?: number;
  /** Default 5 messages. */
  burstCount?: number;
  /** How far back a message is compared for repeats, in ms. Default 10 minutes. */
  repeatWindowMs?: number;
  /** Estimated Jaccard similarity of 3-grams at or above which two texts count as a repeat. Default 0.8. */
  repeatSimilarity?: number;
  /** Texts shorter than this (after normalization) are never repeats, so "yes" twice is fine. Default 8. */
  repeatMinChars?: number;
  /** Number of earlier messages kept for the repeat comparison. Default 10. */
  repeatHistory?: number;
  /** Messages of at least this many code points count as long. Default 1500. */
  longMessageChars?: number;
  /** A sender counts as new for this long after their first message, fading linearly. Default 10 minutes. */
  newSenderMs?: number;
  /** Senders whose state is kept in memory; the least recently seen are dropped. Default 100 000. */
  maxSenders?: number;
  clock?: Clock;
}

/** One signal's share of a score. */
export interface RiskReason {
  signal: RiskSignal;
  weight: number;
  /** Signal strength in [0, 1]. */
  level: number;
  /** `weight * level`. */
  contribution: number;
  /** Decayed event count behind the level; for `newSender`, minutes since the first message. */
  amount: number;
  /** Marker ids for `injection`. */
  detail?: string[];
}

/** A score with the reasons behind it, largest contribution first. */
export interface RiskExplanation {
  sender: SenderKey;
  score: number;
  reasons: RiskReason[];
}

type EventSignal = Exclude<RiskSignal, 'newSender'>;

interface DecayingCount {
  value: number;
  at: number;
}

interface SenderState {
  firstSeenAt: number;
  counts: Partial<Record<EventSignal, DecayingCount>>;
  recentTimes: number[];
  recentTexts: { at: number; sketch: number[] }[];
  injectionMarkers: string[];
}

// One message can add at most this many injection events, so a message stuffed with every
// marker does not count as many separate attempts.
const MAX_INJECTION_EVENTS_PER_MESSAGE = 2;

// Counts stop growing here (level 0.98). Without a cap a long attack would keep a sender at
// full risk for many half-lives after it stopped. With it, a saturated signal falls below a
// quarter of its weight after four half-lives.
const MAX_SIGNAL_COUNT = 4;

/**
 * Risk score in [0, 1] per sender from signals that decay exponentially over time.
 * Each event adds 1 to its signal's count, capped at 4, and the count halves every
 * `halfLifeMs`. A signal's level is `1 - exp(-count)`: 1 event 0.63, 2 events 0.86, 3 events 0.95.
 *
 * NOTE: state lives in process memory, so each process of a scaled-out deployment scores
 * only the messages it handled and a restart forgets every sender.
 */
export class RiskTracker {
  private readonly clock: Clock;
  private readonly weights: RiskWeights;
  private readonly options: Required<Omit<RiskOptions, 'clock' | 'weights'>>;
  private readonly senders: LRUCache<SenderKey, SenderState>;

  constructor(options: RiskOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.weights = { ...DEFAULT_RISK_WEIGHTS, ...options.weights };
    this.options = {
      halfLifeMs: options.halfLifeMs ?? 10 * 60_000,
      burstWindowMs: options.burstWindowMs ?? 10_000,
      burstCount: options.burstCount ?? 5,
      repeatWindowMs: options.repeatWindowMs ?? 10 * 60_000,
      repeatSimilarity: options.repeatSimilarity ?? 0.8,
      repeatMinChars: options.repeatMinChars ?? 8,
      repeatHistory: options.repeatHistory ?? 10,
      longMessageChars: options.longMessageChars ?? 1500,
      newSenderMs: options.newSenderMs ?? 10 * 60_000,
      maxSenders: options.maxSenders ?? 100_000,
    };
    this.senders = new LRUCache({ max: this.options.maxSenders });
  }

  /**
   * Record one inbound message and return the signals it triggered.
   * `analysisText` must come from `normalizeForAnalysis`.
   */
  observe(sender: SenderKey, analysisText: string): EventSignal[] {
    const now = this.clock.now();
    const state = this.stateOf(sender, now);
    const triggered: EventSignal[] = [];

    if (this.isBurst(state, now)) triggered.push('burst');
    if (this.isRepeat(state, analysisText, now)) triggered.push('repeat');
    if ([...analysisText].length >= this.options.longMessageChars) triggered.push('long');

    const markers = findInjectionMarkers(analysisText);
    if (markers.length > 0) {
      state.injectionMarkers = markers;
      this.add(state, 'injection', Math.min(markers.length, MAX_INJECTION_EVENTS_PER_MESSAGE), now);
      triggered.push('injection');
    }
    for (const signal of triggered) {
      if (signal !== 'injection') this.add(state, signal, 1, now);
    }
    return triggered;
  }

  /** Add one event of a signal that the guard or the agent observed outside the text. */
  record(sender: SenderKey, signal: 'validatorRejection' | 'limited' | 'blocked'): void {
    const now = this.clock.now();
    this.add(this.stateOf(sender, now), signal, 1, now);
  }

  /** Count a reply that the validator rejected because of this sender's input. */
  recordValidatorRejection(sender: SenderKey): void {
    this.record(sender, 'validatorRejection');
  }

  /** Current score in [0, 1]; 0 for a sender never seen. */
  score(sender: SenderKey): number {
    return this.explain(sender).score;
  }

  /** Current score with the contribution of each active signal. */
  explain(sender: SenderKey): RiskExplanation {
    const state = this.senders.get(sender);
    if (!state) return { sender, score: 0, reasons: [] };
    const now = this.clock.now();
    const reasons: RiskReason[] = [];

    for (const [signal, count] of Object.entries(state.counts) as [EventSignal, DecayingCount][]) {
      const amount = this.decayed(count, now);
      const level = 1 - Math.exp(-amount);
      const reason: RiskReason = this.reason(signal, level, amount);
      if (signal === 'injection') reason.detail = state.injectionMarkers;
      if (reason.contribution >= 0.001) reasons.push(reason);
    }

    const ageMs = now - state.firstSeenAt;
    const newLevel = Math.max(0, 1 - ageMs / this.options.newSenderMs);
    if (newLevel > 0) reasons.push(this.reason('newSender', newLevel, ageMs / 60_000));

    reasons.sort((a, b) => b.contribution - a.contribution);
    const total = reasons.reduce((sum, reason) => sum + reason.contribution, 0);
    return { sender, score: round(Math.min(1, total)), reasons };
  }

  /** Drop everything known about a sender. */
  forget(sender: SenderKey): void {
    this.senders.delete(sender);
  }

  private reason(signal: RiskSignal, level: number, amount: number): RiskReason {
    const weight = this.weights[signal];
    return { signal, weight, level: round(level), contribution: round(weight * level), amount: round(amount) };
  }

  private stateOf(sender: SenderKey, now: number): SenderState {
    let state = this.senders.get(sender);
    if (!state) {
      state = { firstSeenAt: now, counts: {}, recentTimes: [], recentTexts: [], injectionMarkers: [] };
      this.senders.set(sender, state);
    }
    return state;
  }

  private isBurst(state: SenderState, now: number): boolean {
    state.recentTimes.push(now);
    // Only the last `burstCount` arrival times matter: the burst test is whether the
    // oldest of them is still inside the window.
    if (state.recentTimes.length > this.options.burstCount) state.recentTimes.shift();
    const oldest = state.recentTimes[0] ?? now;
    return state.recentTimes.length >= this.options.burstCount && now - oldest <= this.options.burstWindowMs;
  }

  private isRepeat(state: SenderState, analysisText: string, now: number): boolean {
    if (analysisText.length < this.options.repeatMinChars) return false;
    const sketch = sketchOf(analysisText);
    const since = now - this.options.repeatWindowMs;
    state.recentTexts = state.recentTexts.filter((entry) => entry.at >= since);
    const repeated = state.recentTexts.some(
      (entry) => estimateJaccard(entry.sketch, sketch) >= this.options.repeatSimilarity,
    );
    state.recentTexts.push({ at: now, sketch });
    if (state.recentTexts.length > this.options.repeatHistory) state.recentTexts.shift();
    return repeated;
  }

  private add(state: SenderState, signal: EventSignal, events: number, now: number): void {
    const current = state.counts[signal];
    const value = current ? this.decayed(current, now) : 0;
    state.counts[signal] = { value: Math.min(MAX_SIGNAL_COUNT, value + events), at: now };
  }

  private decayed(count: DecayingCount, now: number): number {
    const elapsed = Math.max(0, now - count.at);
    return count.value * 2 ** (-elapsed / this.options.halfLifeMs);
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
