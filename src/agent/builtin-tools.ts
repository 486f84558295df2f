/**
 * Tools the model can call out of the box: the customer's balance and orders from the demo
 * store tables, FAQ search, and the request for a person. Tools that read customer data are
 * marked `personal`, which keeps their answers out of the shared response cache.
 */
import type { RulesProvider } from '../providers/rules/rules-provider.js';
import { resolveLocale } from '../i18n.js';
import type { Store } from '../store/types.js';
import type { Tool } from './tools.js';

const formatMoney = (cents: number, currency: string) => `${currency === 'USD' ? '$' : `${currency} `}${(cents / 100).toFixed(2)}`;

/** Create the built-in tools over `store` and the rules engine's FAQ index. */
export function builtinTools(store: Store, rules: RulesProvider): Tool[] {
  return [
    {
      personal: true,
      spec: {
        name: 'get_account_balance',
        description: "Return the customer's store-credit balance and the e-mail address on their account.",
        parameters: { type: 'object', properties: {}, additionalProperties: false },
      },
      async run(_args, context) {
        const account = await store.getAccount(context.customerId);
        if (!account) return { found: false, message: 'no account is linked to this customer' };
        return { found: true, balance: formatMoney(account.balanceCents, account.currency), email: account.email };
      },
    },
    {
      personal: true,
      spec: {
        name: 'list_orders',
        description: "List the customer's orders, newest first, with status, total and estimated delivery date.",
        parameters: { type: 'object', properties: {}, additionalProperties: false },
      },
      async run(_args, context) {
        const orders = await store.listOrders(context.customerId);
        return { orders: orders.slice(0, 10).map(describeOrder) };
      },
    },
    {
      personal: true,
      spec: {
        name: 'get_order_status',
        description: 'Return the status of one of the customer\'s orders by its order number, such as "A1001".',
        parameters: {
          type: 'object',
          properties: { order_id: { type: 'string', description: 'Order number as the customer wrote it' } },
          required: ['order_id'],
          additionalProperties: false,
        },
      },
      async run(args, context) {
        const id = String(args.order_id).replace(/^#/, '').trim().toUpperCase();
        const order = await store.getOrder(id);
        // Another customer's order is reported as not found, so order numbers cannot be probed.
        if (!order || order.customerId !== context.customerId) return { found: false, order_id: id };
        return { found: true, ...describeOrder(order) };
      },
    },
    {
      personal: false,
      spec: {
        name: 'search_faq',
        description: "Search the store's FAQ (shipping, returns, refunds, payments, warranty, opening hours).",
        parameters: {
          type: 'object',
          properties: {
            query: { type: 'string' },
            locale: { type: 'string', description: 'en, pt-BR or es' },
          },
          required: ['query'],
          additionalProperties: false,
        },
      },
      async run(args) {
        const match = rules.matcher.match(String(args.query), resolveLocale(String(args.locale ?? 'en')));
        return match ? { found: true, answer: match.entry.answers[resolveLocale(String(args.locale ?? 'en'))] } : { found: false };
      },
    },
    {
      personal: false,
      spec: {
        name: 'request_human',
        description: 'Hand the conversation to a member of staff when the customer asks for a person or you cannot help.',
        parameters: {
          type: 'object',
          properties: { reason: { type: 'string', description: 'Short reason for staff' } },
          additionalProperties: false,
        },
      },
      // The agent turns a call of this tool into a handoff before running it.
      async run() {
        return { ok: true };
      },
    },
  ];
}

function describeOrder(order: { id: string; status: string; totalCents: number; currency: string; items: string[]; estimatedDelivery: string | null }) {
  return {
    order_id: order.id,
    status: order.status,
    total: formatMoney(order.totalCents, order.currency),
    items: order.items,
    estimated_delivery: order.estimatedDelivery,
  };
}
