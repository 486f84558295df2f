import type { AccountRow, OrderRow } from './types.js';

/**
 * The demo store's customers, seeded into an empty database so that the built-in tools have
 * data to read. Customer ids are `<channel>:<user id>`, so `curl` with `"userId": "alice"`
 * talks as the demo customer alice.
 */
export const DEMO_ACCOUNTS: AccountRow[] = [
  { customerId: 'http:alice', email: 'alice@example.com', balanceCents: 4715, currency: 'USD' },
  { customerId: 'http:bob', email: 'bob@example.com', balanceCents: 0, currency: 'USD' },
];

export const DEMO_ORDERS: OrderRow[] = [
  {
    id: 'A1001',
    customerId: 'http:alice',
    status: 'shipped',
    totalCents: 5998,
    currency: 'USD',
    items: ['Desk lamp', 'LED bulb (2-pack)'],
    createdAt: Date.UTC(2026, 10, 28),
    estimatedDelivery: '2026-12-08',
  },
  {
    id: 'A1002',
    customerId: 'http:alice',
    status: 'processing',
    totalCents: 1299,
    currency: 'USD',
    items: ['Lamp shade'],
    createdAt: Date.UTC(2026, 11, 2),
    estimatedDelivery: '2026-12-10',
  },
  {
    id: 'B2001',
    customerId: 'http:bob',
    status: 'delivered',
    totalCents: 8950,
    currency: 'USD',
    items: ['Floor lamp'],
    createdAt: Date.UTC(2026, 9, 14),
    estimatedDelivery: '2026-10-20',
  },
];
