import type { DataSource } from 'typeorm';
import type { Cell, Report } from './reports.service';
import { rollup, WHERE } from './rollup-read';

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const rate = (a: number, b: number) => (b > 0 ? round(a / b, 4) : null);
const n = (v: unknown) => Number(v ?? 0);

/**
 * The range's bounds as instants, computed once (OFFSET 0) so that `ended_at` is compared bare
 * and its index applies under row-level security. $2 from, $3 to, $6 the practice's zone.
 */
const BOUNDS = `SELECT $2::date::timestamp AT TIME ZONE $6 AS lo, ($3::date + 1)::timestamp AT TIME ZONE $6 AS hi OFFSET 0`;

/**
 * Per agent and week: conversion, average handle time (call start → end), first-contact
 * resolution (the member's first contact ever, when it falls in the range, booked on that
 * call), identity checks and transfers from the rollups (report_agent_day and its weeks,
 * report_transfer_day); the QA score of the scored reviews of the week's calls from the reviews
 * themselves (a supervisor's hand-scored few, through the attempt's primary key).
 */
export async function qualityReport(
  db: DataSource,
  f: Report['filters'],
  params: unknown[],
  timezone: string,
): Promise<Report> {
  const rows: Record<string, string | number | null>[] = await db.query(
    `WITH calls AS (
       SELECT r.agent_id, date_trunc('week', r.day)::date AS week, sum(r.dials)::int AS dials,
              sum(r.contacts)::int AS contacts, sum(r.bookings)::int AS bookings, sum(r.handled)::int AS handled,
              sum(r.handle_seconds)::float AS handle_seconds, sum(r.first_contacts)::int AS first_contacts,
              sum(r.first_contact_bookings)::int AS first_contact_bookings,
              sum(r.identity_verified)::int AS identity_verified, sum(r.identity_failed)::int AS identity_failed
       FROM ${rollup('agent', f, false)} r WHERE ${WHERE()} GROUP BY 1, 2),
     transfers AS (
       SELECT r.agent_id, date_trunc('week', r.day)::date AS week, sum(r.transfers)::int AS transfers,
              coalesce(sum(r.transfers) FILTER (WHERE r.outcome = 'connected'), 0)::int AS transfers_connected
       FROM report_transfer_day r WHERE ${WHERE()} GROUP BY 1, 2),
     qa AS (
       SELECT a.agent_id, date_trunc('week', (a.ended_at AT TIME ZONE $6)::date)::date AS week, count(*)::int AS reviews,
              avg(q.score)::float AS score, count(*) FILTER (WHERE q.code_correct)::int AS code_correct
       FROM (${BOUNDS}) b
       JOIN qa_review q ON q.practice_id = $1 AND q.state = 'scored'
       JOIN call_attempt a ON a.id = q.attempt_id AND a.ended_at >= b.lo AND a.ended_at < b.hi
       WHERE ($4::uuid IS NULL OR a.campaign_id = $4) AND ($5::uuid IS NULL OR a.agent_id = $5)
       GROUP BY 1, 2),
     keys AS (SELECT agent_id, week FROM calls UNION SELECT agent_id, week FROM transfers)
     SELECT to_char(k.week, 'YYYY-MM-DD') AS week, u.login AS agent, u.display_name AS name, c.*,
            coalesce(q.reviews, 0) AS reviews, q.score, coalesce(q.code_correct, 0) AS code_correct,
            coalesce(t.transfers, 0) AS transfers, coalesce(t.transfers_connected, 0) AS transfers_connected
     FROM keys k JOIN app_user u ON u.id = k.agent_id
     LEFT JOIN calls c ON c.agent_id = k.agent_id AND c.week = k.week
     LEFT JOIN qa q ON q.agent_id = k.agent_id AND q.week = k.week
     LEFT JOIN transfers t ON t.agent_id = k.agent_id AND t.week = k.week
     ORDER BY u.login, k.week`,
    [...params, timezone],
  );
  const out = rows.map((r) => ({
    week: r.week,
    agent: r.agent,
    name: r.name,
    dials: n(r.dials),
    contacts: n(r.contacts),
    bookings: n(r.bookings),
    conversionRate: rate(n(r.bookings), n(r.dials)),
    avgHandleSeconds: n(r.handled) ? Math.round(n(r.handle_seconds) / n(r.handled)) : null,
    firstContacts: n(r.first_contacts),
    firstContactBookings: n(r.first_contact_bookings),
    firstContactResolution: rate(n(r.first_contact_bookings), n(r.first_contacts)),
    reviews: n(r.reviews),
    qaScore: r.score === null ? null : round(n(r.score)),
    codeAccuracy: rate(n(r.code_correct), n(r.reviews)),
    identityVerified: n(r.identity_verified),
    identityFailed: n(r.identity_failed),
    identityUnknown: n(r.contacts) - n(r.identity_verified) - n(r.identity_failed),
    identityVerifiedRate: rate(n(r.identity_verified), n(r.contacts)),
    transfers: n(r.transfers),
    transfersConnected: n(r.transfers_connected),
  }));
  type Counted =
    | 'dials'
    | 'contacts'
    | 'bookings'
    | 'firstContacts'
    | 'firstContactBookings'
    | 'reviews'
    | 'identityVerified'
    | 'identityUnknown'
    | 'transfers'
    | 'transfersConnected';
  const sum = (k: Counted) => out.reduce((t, r) => t + r[k], 0);
  const handled = rows.reduce((t, r) => t + n(r.handled), 0);
  const handleSeconds = rows.reduce((t, r) => t + n(r.handle_seconds), 0);
  const scoreSum = rows.reduce((t, r) => t + (r.score === null ? 0 : n(r.score) * n(r.reviews)), 0);
  const summary: Record<string, Cell> = {
    agents: new Set(out.map((r) => r.agent)).size,
    dials: sum('dials'),
    bookings: sum('bookings'),
    conversionRate: rate(sum('bookings'), sum('dials')),
    avgHandleSeconds: handled ? Math.round(handleSeconds / handled) : null,
    firstContacts: sum('firstContacts'),
    firstContactResolution: rate(sum('firstContactBookings'), sum('firstContacts')),
    reviews: sum('reviews'),
    qaScore: sum('reviews') ? round(scoreSum / sum('reviews')) : null,
    codeAccuracy: rate(
      rows.reduce((t, r) => t + n(r.code_correct), 0),
      sum('reviews'),
    ),
    identityVerifiedRate: rate(sum('identityVerified'), sum('contacts')),
    identityUnknown: sum('identityUnknown'),
    transfers: sum('transfers'),
    transferConnectRate: rate(sum('transfersConnected'), sum('transfers')),
  };
  return {
    name: 'quality',
    title:
      'Quality: QA score, conversion, handle time, first-contact resolution, identity checks and transfers per agent and week',
    filters: f,
    summary,
    columns: [
      'week',
      'agent',
      'name',
      'dials',
      'contacts',
      'bookings',
      'conversionRate',
      'avgHandleSeconds',
      'firstContacts',
      'firstContactBookings',
      'firstContactResolution',
      'reviews',
      'qaScore',
      'codeAccuracy',
      'identityVerified',
      'identityFailed',
      'identityUnknown',
      'identityVerifiedRate',
      'transfers',
      'transfersConnected',
    ],
    rows: out,
    notes: [
      'QA score: the mean of the seven criteria (1–5) over the scored reviews of the week’s calls; code accuracy: the share of those reviews that found the disposition code right.',
      'First-contact resolution: of the patients first reached in the range (their first contact in the campaign), the share booked on that call. Handle time: from Start call to the saved outcome, for calls started from the workspace.',
      'Identity: of the contacts, the share whose identity check passed; unknown counts contacts with no check recorded (calls from before the check, or entered from the back office). Transfers: tried on the week’s calls, and how many connected (by group in the transfers report).',
    ],
  };
}

/** Per transfer group and kind (warm or blind): transfers tried and how they ended, from report_transfer_day. */
export async function transfersReport(
  db: DataSource,
  f: Report['filters'],
  params: unknown[],
): Promise<Report> {
  const rows: Record<string, string | number>[] = await db.query(
    `SELECT g.name AS "group", r.kind, sum(r.transfers)::int AS transfers,
            coalesce(sum(r.transfers) FILTER (WHERE r.outcome = 'connected'), 0)::int AS connected,
            coalesce(sum(r.transfers) FILTER (WHERE r.outcome = 'no_answer'), 0)::int AS "noAnswer",
            coalesce(sum(r.transfers) FILTER (WHERE r.outcome = 'declined'), 0)::int AS declined,
            coalesce(sum(r.transfers) FILTER (WHERE r.outcome = 'unavailable'), 0)::int AS unavailable
     FROM report_transfer_day r JOIN transfer_group g ON g.id = r.group_id
     WHERE ${WHERE()} GROUP BY g.name, r.kind ORDER BY g.name, r.kind`,
    params,
  );
  const out = rows.map((r) => ({
    group: r.group,
    kind: r.kind,
    transfers: n(r.transfers),
    connected: n(r.connected),
    noAnswer: n(r.noAnswer),
    declined: n(r.declined),
    unavailable: n(r.unavailable),
    connectRate: rate(n(r.connected), n(r.transfers)),
  }));
  const total = out.reduce((t, r) => t + r.transfers, 0);
  const connected = out.reduce((t, r) => t + r.connected, 0);
  const of = (kind: string) => out.filter((r) => r.kind === kind).reduce((t, r) => t + r.transfers, 0);
  return {
    name: 'transfers',
    title: 'Transfers by group: warm and blind, and how they ended',
    filters: f,
    summary: {
      transfers: total,
      warm: of('warm'),
      blind: of('blind'),
      connected,
      connectRate: rate(connected, total),
    },
    columns: [
      'group',
      'kind',
      'transfers',
      'connected',
      'noAnswer',
      'declined',
      'unavailable',
      'connectRate',
    ],
    rows: out,
    notes: [
      'Transfers count on the practice-local day they were tried, for the agent who tried them and the campaign of the patient called.',
    ],
  };
}
