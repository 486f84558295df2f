import { describe, expect, it } from 'vitest';
import { extractValues, valuesMatch, type ExtractedValue, type ValueKind } from '../../src/text/values.js';

function only(text: string, kind: ValueKind, locale?: string): ExtractedValue[] {
  return extractValues(text, locale).filter((value) => value.kind === kind);
}

function normalizedOf(text: string, kind: ValueKind, locale?: string): string[] {
  return only(text, kind, locale).map((value) => value.normalized);
}

describe('extractValues money', () => {
  it.each([
    ['Your total is $1,234.56.', '1234.56'],
    ['O total é 1.234,56 €.', '1234.56'],
    ['Valor: R$ 47,15', '47.15'],
    ['It costs EUR 12', '12.00'],
    ['It costs €12', '12.00'],
    ['You will get 47 dollars back', '47.00'],
    ['Charged USD 47.15 today', '47.15'],
    ['A fee of $47', '47.00'],
    ['A fee of $47.00', '47.00'],
    ['Refund of 47.15 dollars', '47.15'],
    ['Transfer 1,490 bucks', '1490.00'],
    ['Paid US$ 10', '10.00'],
    ['Total 12,5 EUR', '12.50'],
    ['R$ 5 mil de limite', '5000.00'],
    ['A $2.5 million order', '2500000.00'],
    ['47 dollars and 15 cents', '47.15'],
    ['Only 99 cents', '0.99'],
    ['Saldo de 1.490 reais', '1490.00'],
  ])('%s', (text, expected) => {
    expect(normalizedOf(text, 'money')).toEqual([expected]);
  });

  it('compares forms by amount', () => {
    const forms = ['$47.15', '47.15 dollars', 'USD 47.15', 'R$ 47,15', '€47,15'].map((text) => only(text, 'money')[0]!);
    for (const form of forms) expect(valuesMatch(forms[0]!, form)).toBe(true);
  });

  it('keeps the currency code apart', () => {
    expect(only('R$ 47,15', 'money')[0]!.currency).toBe('BRL');
    expect(only('$47', 'money')[0]!.currency).toBeUndefined();
  });

  it('reports a garbled amount that matches nothing', () => {
    const [value] = only('Balance: $2,443.48.68', 'money');
    expect(value!.normalized.startsWith('invalid:')).toBe(true);
  });

  it('ignores numbers without a currency', () => {
    expect(only('You have 3 tickets for 2 people', 'money')).toEqual([]);
  });
});

describe('extractValues dates', () => {
  it.each([
    ['on March 3rd', 'en', 'xxxx-03-03'],
    ['on MArch 1st', 'en', 'xxxx-03-01'],
    ['on Mar. 3, 2026', 'en', '2026-03-03'],
    ['the 3rd of March', 'en', 'xxxx-03-03'],
    ['on 2026-03-04', 'en', '2026-03-04'],
    ['on 3/4/2026', 'en', '2026-03-04'],
    ['em 3/4/2026', 'pt-BR', '2026-04-03'],
    ['em 3 de março de 2026', 'pt-BR', '2026-03-03'],
    ['el 5 de mayo', 'es', 'xxxx-05-05'],
    ['on Tuesday the 5th', 'en', 'xxxx-xx-05'],
    ['on 25/12/2026', 'en', '2026-12-25'],
  ])('%s (%s)', (text, locale, expected) => {
    expect(normalizedOf(text, 'date', locale)).toEqual([expected]);
  });

  it('keeps both readings without a locale', () => {
    const [value] = only('on 3/4/2026', 'date');
    expect(value!.normalized).toBe('2026-03-04');
    expect(value!.alternatives).toEqual(['2026-04-03']);
  });

  it('matches a date without year to a full date', () => {
    const [spoken] = only('March 9th', 'date');
    const [iso] = only('2019-03-09', 'date');
    const [other] = only('2019-03-10', 'date');
    expect(valuesMatch(spoken!, iso!)).toBe(true);
    expect(valuesMatch(spoken!, other!)).toBe(false);
  });

  it('does not read the verb may as a month', () => {
    expect(only('you may 2 times retry', 'date')).toEqual([]);
  });

  it('skips relative dates', () => {
    expect(only('tomorrow or next Friday', 'date')).toEqual([]);
  });
});

describe('extractValues times', () => {
  it.each([
    ['at 6:30 pm', '18:30'],
    ['at 18:30', '18:30'],
    ['at 7pm', '19:00'],
    ['at 7 p.m. sharp', '19:00'],
    ['at 12 pm', '12:00'],
    ['at 12 am', '00:00'],
    ['at 0:16 am', '00:16'],
    ['às 18h30', '18:30'],
    ['às 18h', '18:00'],
    ['at noon', '12:00'],
    ['at 7 in the evening', '19:00'],
    ['at 11.30 am', '11:30'],
  ])('%s', (text, expected) => {
    expect(normalizedOf(text, 'time')).toEqual([expected]);
  });

  it('treats 6:30 without am or pm as either half of the day', () => {
    const [bare] = only('at 6:30', 'time');
    const [evening] = only('at 6:30 pm', 'time');
    const [morning] = only('at 6:30 am', 'time');
    expect(valuesMatch(bare!, evening!)).toBe(true);
    expect(valuesMatch(bare!, morning!)).toBe(true);
    expect(valuesMatch(evening!, morning!)).toBe(false);
  });

  it('does not read a bare duration as a time', () => {
    expect(only('the trip takes 4h', 'time')).toEqual([]);
  });
});

describe('extractValues ids and contacts', () => {
  it('finds order and account ids', () => {
    const values = extractValues('Order #A1234 and ORD-10023; account 12345678; pedido nº 48213.');
    expect(values.filter((value) => value.kind === 'order_id').map((value) => value.normalized)).toEqual(['A1234', 'ORD10023', '48213']);
    expect(values.filter((value) => value.kind === 'account_id').map((value) => value.normalized)).toEqual(['12345678']);
  });

  it('finds long digit runs as ids', () => {
    expect(normalizedOf('Reference 99881234 is open, tracking 1Z999AA10123456784', 'order_id')).toEqual(['99881234', '1Z999AA10123456784']);
  });

  it('matches a digits-only id to a prefixed one', () => {
    const [short] = only('order #10023', 'order_id');
    const [long] = only('ORD-10023', 'order_id');
    expect(valuesMatch(short!, long!)).toBe(true);
  });

  it('finds phone numbers and matches without country code', () => {
    const [international] = only('Call +1 (555) 123-4567', 'phone');
    const [local] = only('Call 555-123-4567', 'phone');
    expect(international!.normalized).toBe('15551234567');
    expect(valuesMatch(international!, local!)).toBe(true);
    expect(normalizedOf('Ligue (11) 98765-4321', 'phone')).toEqual(['11987654321']);
  });

  it('finds e-mails and links', () => {
    const values = extractValues('Write to Help@Shop.com or see https://www.shop.com/help/, also shop.example.com/faq.');
    expect(values.filter((value) => value.kind === 'email').map((value) => value.normalized)).toEqual(['help@shop.com']);
    expect(values.filter((value) => value.kind === 'url').map((value) => value.normalized)).toEqual(['shop.com/help', 'shop.example.com/faq']);
  });

  it('claims each character once', () => {
    const kinds = extractValues('Total $1,490 on March 3rd at 6:30 pm').map((value) => value.kind);
    expect(kinds).toEqual(['money', 'date', 'time']);
  });

  it('finds values hidden by fullwidth digits', () => {
    expect(normalizedOf('Total ＄４７.１５', 'money')).toEqual(['47.15']);
  });
});
