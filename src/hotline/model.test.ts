import { describe, expect, it } from 'vitest';
import type { Actor } from '../platform/auth/model';
import { createWorkCalendar, toOffsetIso } from '../platform/calendar';
import { summarize, weekRange } from './analysis';
import { readProfiles, readTaxonomy } from './config';
import {
  availableActions,
  compareTickets,
  extendedDeadline,
  maskName,
  overdueFlags,
  requesterView,
  rollupDelta,
  rollupShare,
  roundDeadlines,
  ruleFor,
  stateAllows,
  textSimilarity,
  trackCodeFrom,
  isTrackCode,
  titleOf,
  weekStartOf,
  type RollupFacts,
  type SimilarityCandidate,
  type TicketState,
} from './model';

const calendar = createWorkCalendar();
const profiles = readProfiles();
const at = (text: string) => new Date(text);
const local = (date: Date) => toOffsetIso(date);

function actor(role: Actor['role']): Actor {
  return {
    userId: 'u',
    username: role,
    role,
    regionCode: '371000',
    departmentId: 'd',
    subjectId: null,
  };
}

describe('deadline rules of the hotline', () => {
  it('reads the profiles and the taxonomy shipped in data/hotline', () => {
    expect(profiles.rules.at(-1)!.when).toEqual({});
    expect(profiles.extensionMaxWorkingDays).toBe(10);
    expect(profiles.returnWithin).toEqual({ amount: 2, unit: 'workingDays' });
    const taxonomy = readTaxonomy();
    expect(taxonomy.categories.length).toBeGreaterThan(25);
    expect(new Set(taxonomy.categories.map((c) => c.serviceCode)).size).toBe(
      taxonomy.categories.length,
    );
  });

  it('picks the first matching rule: urgency before the enterprise "215" profile before the type', () => {
    expect(ruleFor(profiles, { type: 'complaint', urgency: 'normal', enterprise: false }).key).toBe(
      'standard',
    );
    expect(ruleFor(profiles, { type: 'consult', urgency: 'normal', enterprise: false }).key).toBe(
      'consult',
    );
    expect(ruleFor(profiles, { type: 'help', urgency: 'normal', enterprise: true }).key).toBe(
      'enterprise-215',
    );
    expect(ruleFor(profiles, { type: 'help', urgency: 'urgent', enterprise: true }).key).toBe(
      'urgent',
    );
    expect(
      ruleFor(profiles, { type: 'suggestion', urgency: 'normal', enterprise: false }).key,
    ).toBe('suggestion');
  });

  // National Day 2025: 1–8 October are holidays; Sunday 28 September and Saturday 11 October are
  // make-up working days (调休上班).
  it('counts five working days across the National Day holiday', () => {
    const rule = ruleFor(profiles, { type: 'complaint', urgency: 'normal', enterprise: false });
    const due = roundDeadlines(calendar, profiles, rule, at('2025-09-30T10:00:00+08:00'));
    // 9 Oct (1), 10 Oct (2), Saturday 11 Oct make-up day (3), 13 Oct (4), 14 Oct (5).
    expect(local(due.finishDueAt)).toBe('2025-10-14T17:00:00+08:00');
    // Return window: 2 working days, so the holiday does not eat it.
    expect(local(due.returnUntil)).toBe('2025-10-10T17:00:00+08:00');
    // Sign within 4 working hours: 10:00–12:00 and 13:00–15:00 the same day.
    expect(local(due.signDueAt)).toBe('2025-09-30T15:00:00+08:00');
    expect(due.contactDueAt).toBeNull();
    expect(due.provisional).toBe(false);
  });

  it('counts the make-up Saturday as a working day and working hours into it', () => {
    const rule = ruleFor(profiles, { type: 'complaint', urgency: 'normal', enterprise: false });
    const due = roundDeadlines(calendar, profiles, rule, at('2025-10-10T15:00:00+08:00'));
    expect(local(due.signDueAt)).toBe('2025-10-11T11:00:00+08:00');
    expect(local(due.returnUntil)).toBe('2025-10-13T17:00:00+08:00');
    expect(local(due.finishDueAt)).toBe('2025-10-16T17:00:00+08:00');
  });

  it('gives an enterprise demand "215" deadlines: respond in 2 working hours, contact in 1 working day', () => {
    const rule = ruleFor(profiles, { type: 'help', urgency: 'normal', enterprise: true });
    const due = roundDeadlines(calendar, profiles, rule, at('2025-09-30T16:00:00+08:00'));
    expect(local(due.signDueAt)).toBe('2025-10-09T10:00:00+08:00');
    expect(local(due.contactDueAt!)).toBe('2025-10-09T17:00:00+08:00');
    expect(local(due.finishDueAt)).toBe('2025-10-14T17:00:00+08:00');
  });

  it('counts very urgent tickets in clock time, holiday or not', () => {
    const rule = ruleFor(profiles, { type: 'help', urgency: 'very_urgent', enterprise: false });
    const due = roundDeadlines(calendar, profiles, rule, at('2025-10-01T20:00:00+08:00'));
    expect(local(due.signDueAt)).toBe('2025-10-01T20:30:00+08:00');
    expect(local(due.finishDueAt)).toBe('2025-10-02T20:00:00+08:00');
  });

  it('extends a deadline by working days from the current one, across the Spring Festival 2026', () => {
    // 15–23 February 2026 are holidays; 14 and 28 February are make-up days.
    const extended = extendedDeadline(calendar, at('2026-02-13T17:00:00+08:00'), 3);
    expect(local(extended.due)).toBe('2026-02-25T17:00:00+08:00');
  });

  it('marks deadlines in a year without a published schedule as provisional', () => {
    const rule = ruleFor(profiles, { type: 'complaint', urgency: 'normal', enterprise: false });
    const due = roundDeadlines(calendar, profiles, rule, at('2031-09-29T10:00:00+08:00'));
    expect(due.provisional).toBe(true);
  });

  it('flags overdue steps by their own deadlines and what was done when', () => {
    const base = {
      status: 'handling' as const,
      signDueAt: at('2025-10-09T10:00:00+08:00'),
      signedAt: at('2025-10-09T09:00:00+08:00'),
      contactDueAt: at('2025-10-09T17:00:00+08:00'),
      contactedAt: null,
      finishDueAt: at('2025-10-14T17:00:00+08:00'),
      repliedAt: null,
      callbackDueAt: null,
    };
    expect(overdueFlags(base, at('2025-10-09T16:00:00+08:00')).any).toBe(false);
    const evening = overdueFlags(base, at('2025-10-09T18:00:00+08:00'));
    expect(evening).toMatchObject({ sign: false, contact: true, finish: false, any: true });
    const late = overdueFlags(base, at('2025-10-15T09:00:00+08:00'));
    expect(late.finish).toBe(true);
    const lateSign = overdueFlags(
      { ...base, signedAt: at('2025-10-09T11:00:00+08:00') },
      at('2025-10-09T12:00:00+08:00'),
    );
    expect(lateSign.sign).toBe(true);
    expect(overdueFlags({ ...base, status: 'closed' }, at('2025-11-01T00:00:00+08:00')).any).toBe(
      false,
    );
  });
});

describe('the closed loop as a state machine', () => {
  const state = (over: Partial<TicketState>): TicketState => ({
    status: 'registered',
    assignment: null,
    returnUntil: null,
    extendedDays: 0,
    pendingExtension: false,
    satisfaction: null,
    callbackAttempts: 0,
    callable: true,
    ownTicket: false,
    ...over,
  });
  const now = at('2025-10-09T10:00:00+08:00');

  it('lets the operator answer, dispatch or merge a registered ticket, and nobody else', () => {
    expect(availableActions(actor('operator'), state({}), profiles, now)).toEqual([
      'update',
      'answer',
      'dispatch',
      'merge',
      'attach',
    ]);
    expect(availableActions(actor('handler'), state({}), profiles, now)).toEqual([]);
    expect(availableActions(actor('supervisor'), state({}), profiles, now)).toEqual(['escalate']);
    expect(availableActions(actor('citizen'), state({}), profiles, now)).toEqual([]);
  });

  it('lets the lead unit sign or return a dispatched ticket, then handle it', () => {
    const dispatched = state({
      status: 'dispatched',
      assignment: { role: 'lead', status: 'dispatched' },
      returnUntil: at('2025-10-10T17:00:00+08:00'),
    });
    expect(availableActions(actor('handler'), dispatched, profiles, now)).toEqual([
      'sign',
      'return',
      'attach',
    ]);
    const handling = state({
      status: 'handling',
      assignment: { role: 'lead', status: 'signed' },
      returnUntil: at('2025-10-10T17:00:00+08:00'),
    });
    expect(availableActions(actor('handler'), handling, profiles, now)).toEqual([
      'return',
      'contact',
      'reply',
      'request_extension',
      'attach',
    ]);
    // An assisting unit signs and gives its opinion; it neither replies nor asks for time.
    const assisting = state({
      status: 'handling',
      assignment: { role: 'assist', status: 'signed' },
    });
    expect(availableActions(actor('handler'), assisting, profiles, now)).toEqual([
      'opinion',
      'attach',
    ]);
  });

  it('closes the return window two working days after the dispatch', () => {
    const s = state({
      status: 'handling',
      assignment: { role: 'lead', status: 'signed' },
      returnUntil: at('2025-10-10T17:00:00+08:00'),
    });
    expect(stateAllows('return', s, profiles, at('2025-10-10T16:59:00+08:00'))).toBe(true);
    expect(stateAllows('return', s, profiles, at('2025-10-10T17:01:00+08:00'))).toBe(false);
  });

  it('allows one pending extension at a time and no more than the maximum per dispatch', () => {
    const s = state({ status: 'handling', assignment: { role: 'lead', status: 'signed' } });
    expect(stateAllows('request_extension', s, profiles, now)).toBe(true);
    expect(stateAllows('request_extension', { ...s, pendingExtension: true }, profiles, now)).toBe(
      false,
    );
    expect(stateAllows('request_extension', { ...s, extendedDays: 10 }, profiles, now)).toBe(false);
    expect(stateAllows('decide_extension', { ...s, pendingExtension: true }, profiles, now)).toBe(
      true,
    );
  });

  it('reviews a reply, calls back, and reopens only after an unsatisfied verdict', () => {
    expect(
      availableActions(actor('operator'), state({ status: 'replied' }), profiles, now),
    ).toContain('review');
    const reviewed = state({ status: 'reviewed' });
    expect(availableActions(actor('operator'), reviewed, profiles, now)).toEqual([
      'callback',
      'attach',
    ]);
    const unhappy = state({ status: 'reviewed', satisfaction: 'unsatisfied', callbackAttempts: 1 });
    expect(availableActions(actor('operator'), unhappy, profiles, now)).toEqual([
      'callback',
      'close',
      'reopen',
      'attach',
    ]);
    const closedHappy = state({ status: 'closed', satisfaction: 'satisfied' });
    expect(availableActions(actor('operator'), closedHappy, profiles, now)).toEqual([]);
    const unreachable = state({ status: 'reviewed', callbackAttempts: 3 });
    expect(stateAllows('close', unreachable, profiles, now)).toBe(true);
    expect(
      stateAllows('callback', state({ status: 'reviewed', callable: false }), profiles, now),
    ).toBe(false);
  });
});

describe('duplicate and repeat detection', () => {
  const probe = {
    requesterMobile: '13906311013',
    categoryCode: 'CS-02',
    regionCode: '371002',
    address: '环翠区文化中路与青岛北路交叉口东50米',
    lat: null,
    lng: null,
    text: '文化中路青岛北路口东边人行道井盖松动，踩上去晃动',
  };
  const earlier = (over: Partial<SimilarityCandidate>): SimilarityCandidate => ({
    requesterMobile: '13906311013',
    categoryCode: 'CS-02',
    regionCode: '371002',
    address: '环翠区文化中路与青岛北路交叉口东50米',
    lat: null,
    lng: null,
    text: '文化中路与青岛北路交叉口往东人行道上井盖缺失',
    status: 'closed',
    closedAt: at('2025-09-01T00:00:00+08:00'),
    ...over,
  });
  const options = { textThreshold: profiles.duplicates.textThreshold, nearMetres: 150 };

  it('scores alike texts high and unrelated ones low', () => {
    expect(
      textSimilarity('菜市场西侧垃圾多日未清运', '菜市场西边垃圾好几天没人清运'),
    ).toBeGreaterThan(0.3);
    expect(textSimilarity('小区频繁停水', '路灯不亮')).toBe(0);
    expect(textSimilarity('', '路灯不亮')).toBe(0);
  });

  it('calls the same requester on a closed matter a repeat, an open one a duplicate', () => {
    expect(compareTickets(probe, earlier({}), options)).toMatchObject({
      kind: 'repeat',
      reasons: expect.arrayContaining(['same_requester', 'same_place', 'same_category']),
    });
    expect(compareTickets(probe, earlier({ status: 'handling' }), options)?.kind).toBe('duplicate');
    // Someone else at the same place in the same category on a closed matter: for information.
    expect(compareTickets(probe, earlier({ requesterMobile: '13906311999' }), options)?.kind).toBe(
      'similar',
    );
  });

  it('compares texts without the words of their places', () => {
    const a = '统一路新威路口菜市场西侧摊贩占道经营，车辆无法通行';
    const b = '统一路新威路口菜市场西侧垃圾桶满溢，已经三天没有清运';
    expect(textSimilarity(a, b)).toBeGreaterThan(0.3);
    expect(textSimilarity(a, b, '统一路新威路口菜市场西侧')).toBeLessThan(0.1);
  });

  it('needs more than alike words: a requester, a place or a category in common', () => {
    const elsewhere = earlier({
      requesterMobile: null,
      categoryCode: 'GY-01',
      regionCode: '371003',
      address: '文登区龙山路',
    });
    expect(compareTickets(probe, elsewhere, options)).toBeNull();
    // Alike texts in the same category and region, different people and places: a candidate.
    const alike = compareTickets(
      { ...probe, requesterMobile: null, address: '', text: '人行道井盖缺失晚上容易踩空' },
      earlier({ requesterMobile: null, address: '', text: '人行道上井盖缺失，晚上行人容易踩空' }),
      options,
    );
    expect(alike?.reasons).toEqual(['similar_text', 'same_category']);
    // Close coordinates are the same place.
    const near = compareTickets(
      { ...probe, requesterMobile: null, lat: 37.5131, lng: 122.1201 },
      earlier({ requesterMobile: null, lat: 37.5136, lng: 122.1203, address: '' }),
      options,
    );
    expect(near?.reasons).toContain('same_place');
    // The same requester about something else entirely: not the same matter.
    const other = compareTickets(
      probe,
      earlier({ categoryCode: 'GY-04', address: '荣成市', text: '暖气不热，室温只有十五度' }),
      options,
    );
    expect(other).toBeNull();
  });
});

describe('requesters and tracking codes', () => {
  it('masks names keeping the family name', () => {
    expect(maskName('张伟')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('John')).toBe('J***');
  });

  it('shows the requester to operators, to units only when they may contact them', () => {
    const ticket = { confidential: false, type: 'complaint' as const, anonymous: false };
    expect(requesterView(actor('operator'), ticket, false, false)).toBe('full');
    expect(requesterView(actor('handler'), ticket, true, false)).toBe('full');
    expect(requesterView(actor('handler'), { ...ticket, confidential: true }, true, false)).toBe(
      'masked',
    );
    expect(requesterView(actor('handler'), { ...ticket, type: 'report' }, true, false)).toBe(
      'masked',
    );
    expect(requesterView(actor('supervisor'), ticket, false, false)).toBe('masked');
    expect(requesterView(null, ticket, false, false)).toBe('none');
  });

  it('titles a ticket by its first sentence or clauses, never cutting silently', () => {
    expect(titleOf('小区频繁停水。没有提前通知。')).toBe('小区频繁停水');
    expect(
      titleOf('新威路与统一路交叉口往北约50米的井盖破损下沉，电动车经过很危险，请尽快维修。'),
    ).toBe('新威路与统一路交叉口往北约50米的井盖破损下沉');
    expect(titleOf('甲'.repeat(40))).toBe(`${'甲'.repeat(29)}…`);
  });

  it('makes tracking codes of 8 characters without look-alikes', () => {
    const code = trackCodeFrom(new Uint8Array([0, 1, 2, 3, 250, 251, 252, 253]));
    expect(code).toHaveLength(8);
    expect(isTrackCode(code)).toBe(true);
    expect(isTrackCode('ABCD1234')).toBe(false);
    expect(isTrackCode('ABCDEFGO')).toBe(false);
  });
});

describe('weekly rollups', () => {
  const facts = (over: Partial<RollupFacts>): RollupFacts => ({
    createdAt: at('2025-10-08T23:30:00+08:00'),
    categoryCode: 'CS-01',
    regionCode: '371002',
    finishedAt: null,
    onTime: null,
    satisfaction: null,
    reopenCount: 0,
    enterprise: false,
    relation: null,
    ...over,
  });

  it('buckets by the Monday of the week in Shanghai', () => {
    expect(weekStartOf(at('2025-10-08T23:30:00+08:00'))).toBe('2025-10-06');
    // Sunday 23:59 in Shanghai is still the week before; Monday 00:00 starts a new one.
    expect(weekStartOf(at('2025-10-12T23:59:00+08:00'))).toBe('2025-10-06');
    expect(weekStartOf(at('2025-10-13T00:00:00+08:00'))).toBe('2025-10-13');
    expect(weekStartOf(at('2025-10-12T16:00:00Z'))).toBe('2025-10-13');
  });

  it('adds a new ticket and then only the differences of its changes', () => {
    expect(rollupDelta(null, facts({}))).toEqual([rollupShare(facts({}))]);
    const finished = facts({ finishedAt: at('2025-10-09T10:00:00+08:00'), onTime: true });
    expect(rollupDelta(facts({}), finished)).toEqual([
      expect.objectContaining({
        weekStart: '2025-10-06',
        counts: {
          received: 0,
          finished: 1,
          onTime: 1,
          rated: 0,
          satisfied: 0,
          reopened: 0,
          enterprise: 0,
          repeated: 0,
        },
      }),
    ]);
    expect(rollupDelta(finished, finished)).toEqual([]);
    const rated = { ...finished, satisfaction: 'basically_satisfied' };
    expect(rollupDelta(finished, rated)[0]!.counts).toMatchObject({ rated: 1, satisfied: 1 });
    // Reopened: no longer finished, no verdict, counted as reopened.
    const reopened = facts({ reopenCount: 1 });
    expect(rollupDelta(rated, reopened)[0]!.counts).toMatchObject({
      finished: -1,
      onTime: -1,
      rated: -1,
      satisfied: -1,
      reopened: 1,
    });
  });

  it('moves a ticket between rows when its category changes', () => {
    const moved = rollupDelta(facts({}), facts({ categoryCode: 'CS-02' }));
    expect(moved).toHaveLength(2);
    expect(moved[0]).toMatchObject({ categoryCode: 'CS-01', counts: { received: -1 } });
    expect(moved[1]).toMatchObject({ categoryCode: 'CS-02', counts: { received: 1 } });
  });

  it('summarises rows into weeks, categories, regions, rates and hot spots', () => {
    const range = weekRange(at('2025-10-08T12:00:00+08:00'), 2);
    expect(range.list).toEqual(['2025-09-29', '2025-10-06']);
    const row = (
      weekStart: string,
      categoryCode: string,
      received: number,
      finished: number,
      onTime: number,
    ) => ({
      weekStart,
      categoryCode,
      regionCode: '371002',
      received,
      finished,
      onTime,
      rated: finished,
      satisfied: onTime,
      reopened: 0,
      enterprise: 0,
      repeated: 0,
    });
    const result = summarize(
      [row('2025-09-29', 'CS-01', 4, 4, 3), row('2025-10-06', 'CS-02', 6, 2, 2)],
      range,
      {
        category: (code) => ({
          name: { zh: code, en: code },
          groupName: { zh: '城市管理', en: 'Urban' },
        }),
        region: (code) => ({ zh: code, en: code }),
      },
    );
    expect(result.totals).toMatchObject({
      received: 10,
      finished: 6,
      onTime: 5,
      onTimeRate: 0.8333,
    });
    expect(result.weeks.map((w) => w.received)).toEqual([4, 6]);
    expect(result.categories[0]).toMatchObject({ code: 'CS-02', received: 6, onTimeRate: 1 });
    expect(result.hot[1]!.categories[0]).toMatchObject({ code: 'CS-02', received: 6 });
    expect(result.from).toBe('2025-09-29T00:00:00+08:00');
    expect(result.to).toBe('2025-10-13T00:00:00+08:00');
  });
});
