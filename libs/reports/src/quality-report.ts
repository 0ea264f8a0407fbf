import { codesWith } from '../../dispositions/src/disposition-codes';
import type { DataSource } from 'typeorm';
import type { Cell, Report } from './reports.service';

const CONTACTS = codesWith('contact');
const CONVERTED = codesWith('converted');

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const rate = (a: number, b: number) => (b > 0 ? round(a / b, 4) : null);

/**
 * The range's attempts (practice-local days; superseded ones left out). $1 practice, $2 from,
 * $3 to, $4 campaign, $5 agent, $8 the practice's zone.
 */
const ATTEMPTS = `
  SELECT a.*, (a.ended_at AT TIME ZONE $8)::date AS day FROM call_attempt a
  WHERE a.practice_id = $1
    AND a.ended_at >= ($2::date::timestamp AT TIME ZONE $8) AND a.ended_at < (($3::date + 1)::timestamp AT TIME ZONE $8)
    AND ($4::uuid IS NULL OR a.campaign_id = $4) AND ($5::uuid IS NULL OR a.agent_id = $5)`;

const NOT_SUPERSEDED = (alias: string) =>
  `NOT EXISTS (SELECT 1 FROM call_attempt s WHERE s.supersedes_id = ${alias}.id)`;

/**
 * Per agent and week: conversion, average handle time (call start → end), first-contact
 * resolution (the member's first contact ever, when it falls in the range, booked on that
 * call) and the QA score of the scored reviews of the week's calls. Read from the attempt log
 * and the reviews directly: first contacts look back past the range, which no rollup holds.
 */
export async function qualityReport(
  db: DataSource,
  f: Report['filters'],
  params: unknown[],
  timezone: string,
): Promise<Report> {
  const rows: Record<string, string | number | null>[] = await db.query(
    `WITH a AS (${ATTEMPTS} AND ${NOT_SUPERSEDED('a')}),
     first_contact AS (
       SELECT DISTINCT ON (x.member_id) x.id FROM call_attempt x
       WHERE x.practice_id = $1 AND x.code = ANY($6) AND ${NOT_SUPERSEDED('x')}
         AND x.member_id IN (SELECT member_id FROM a WHERE code = ANY($6))
       ORDER BY x.member_id, x.ended_at, x.recorded_at),
     calls AS (
       SELECT a.agent_id, date_trunc('week', a.day)::date AS week, count(*)::int AS dials,
              count(*) FILTER (WHERE a.code = ANY($6))::int AS contacts,
              count(*) FILTER (WHERE a.code = ANY($7))::int AS bookings,
              count(a.started_at)::int AS handled,
              coalesce(sum(extract(epoch FROM a.ended_at - a.started_at)), 0)::float AS handle_seconds,
              count(fc.id)::int AS first_contacts,
              count(fc.id) FILTER (WHERE a.code = ANY($7))::int AS first_contact_bookings
       FROM a LEFT JOIN first_contact fc ON fc.id = a.id GROUP BY 1, 2),
     qa AS (
       SELECT q.agent_id, date_trunc('week', q.day)::date AS week, count(*)::int AS reviews,
              avg(r.score)::float AS score, count(*) FILTER (WHERE r.code_correct)::int AS code_correct
       FROM (${ATTEMPTS}) q JOIN qa_review r ON r.attempt_id = q.id AND r.state = 'scored'
       GROUP BY 1, 2)
     SELECT to_char(c.week, 'YYYY-MM-DD') AS week, u.login AS agent, u.display_name AS name, c.*,
            coalesce(q.reviews, 0) AS reviews, q.score, coalesce(q.code_correct, 0) AS code_correct
     FROM calls c JOIN app_user u ON u.id = c.agent_id
     LEFT JOIN qa q ON q.agent_id = c.agent_id AND q.week = c.week
     ORDER BY u.login, c.week`,
    [...params, CONTACTS, CONVERTED, timezone],
  );
  const n = (v: unknown) => Number(v ?? 0);
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
  }));
  const sum = (k: 'dials' | 'bookings' | 'firstContacts' | 'firstContactBookings' | 'reviews') =>
    out.reduce((t, r) => t + r[k], 0);
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
  };
  return {
    name: 'quality',
    title: 'Quality: QA score, conversion, handle time and first-contact resolution per agent and week',
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
    ],
    rows: out,
    notes: [
      'QA score: the mean of the seven criteria (1–5) over the scored reviews of the week’s calls; code accuracy: the share of those reviews that found the disposition code right.',
      'First-contact resolution: of the patients first reached in the range (their first contact in the campaign), the share booked on that call. Handle time: from Start call to the saved outcome, for calls started from the workspace.',
    ],
  };
}
