import { DEFAULT_DEESCALATION, parseDeescalationGuide } from './deescalation';

describe('the default de-escalation guide (protocol 000)', () => {
  it('has the five strategies for hot calls, in order', () => {
    expect(DEFAULT_DEESCALATION.strategies.map((s) => s.name)).toEqual([
      'Low & slow',
      'Name it to tame it',
      'Regulate over educate',
      'Swift shift',
      'Pause with purpose',
    ]);
    expect(DEFAULT_DEESCALATION.strategies[3].say).toContain('Here’s what I would like to do');
    expect(DEFAULT_DEESCALATION.strategies[4].say).toContain('three-second pause');
  });

  it('has the concrete actions for the four situations, four each', () => {
    expect(DEFAULT_DEESCALATION.situations.map((s) => s.name)).toEqual([
      'Claim denial',
      'IT issues',
      'Review delays',
      'No network',
    ]);
    for (const s of DEFAULT_DEESCALATION.situations) expect(s.actions).toHaveLength(4);
    expect(DEFAULT_DEESCALATION.situations[0].actions).toContain('Appeal the claim determination.');
  });

  it('is a valid guide by its own rules', () => {
    expect(parseDeescalationGuide(DEFAULT_DEESCALATION)).toEqual({ ok: true, guide: DEFAULT_DEESCALATION });
  });
});

describe('parseDeescalationGuide', () => {
  const good = {
    strategies: [{ name: ' Low & slow ', say: ' Speak low and slow. ' }],
    situations: [{ name: 'Billing', actions: [' Offer a payment plan. '] }],
    reminder: ' Breathe. ',
  };

  it('keeps a practice guide, trimmed', () => {
    expect(parseDeescalationGuide(good)).toEqual({
      ok: true,
      guide: {
        strategies: [{ name: 'Low & slow', say: 'Speak low and slow.' }],
        situations: [{ name: 'Billing', actions: ['Offer a payment plan.'] }],
        reminder: 'Breathe.',
      },
    });
  });

  it('takes a guide without a reminder', () => {
    const { reminder: _r, ...rest } = good;
    expect(parseDeescalationGuide(rest)).toMatchObject({ ok: true, guide: { reminder: '' } });
  });

  it.each([
    [null, 'guide'],
    ['text', 'guide'],
    [{ ...good, strategies: 'slow' }, 'strategies'],
    [{ ...good, strategies: Array(21).fill(good.strategies[0]) }, 'strategies'],
    [{ ...good, strategies: [{ name: '', say: 'x' }] }, 'strategies.0'],
    [{ ...good, strategies: [good.strategies[0], { name: 'x' }] }, 'strategies.1'],
    [{ ...good, strategies: [{ name: 'x', say: 'y'.repeat(1001) }] }, 'strategies.0'],
    [{ ...good, situations: undefined }, 'situations'],
    [{ ...good, situations: [{ name: 'x', actions: 'call' }] }, 'situations.0'],
    [{ ...good, situations: [{ name: 'x', actions: ['  '] }] }, 'situations.0'],
    [{ ...good, situations: [{ name: 'x', actions: Array(21).fill('a') }] }, 'situations.0'],
    [{ ...good, reminder: 5 }, 'reminder'],
    [{ ...good, reminder: 'r'.repeat(2001) }, 'reminder'],
  ])('refuses %#, naming %s', (guide, field) => {
    const r = parseDeescalationGuide(guide);
    expect(r).toMatchObject({ ok: false, field });
    if (!r.ok) expect(r.message.startsWith(field)).toBe(true);
  });
});
