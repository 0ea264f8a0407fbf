import { AuditService } from '@recall/audit';
import { PracticesService } from '@recall/auth';
import { FixedClock, RequestContext } from '@recall/core';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import {
  ContactsImportService,
  type ContactImportInput,
  type ContactView,
} from '../libs/campaigns/src/contacts';
import { startTestApi, TestApi } from './support/test-api';

const FIXTURES = path.join(__dirname, 'fixtures/contacts');
const ok = (name: string) => path.join(FIXTURES, 'ok', name);
const notOk = (name: string) => path.join(FIXTURES, 'not-ok', name);

describe('contacts import', () => {
  let api: TestApi;
  let contacts: ContactsImportService;
  let db: DataSource;
  const clock = new FixedClock('2026-06-15T15:00:00Z');
  const work = mkdtempSync(path.join(tmpdir(), 'recall-contacts-'));
  let slugCounter = 0;

  beforeAll(async () => {
    api = await startTestApi({ clock });
    contacts = api.app.get(ContactsImportService);
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** A fresh practice per test, so tests don't see each other's contacts. */
  async function newPractice(timezone = 'America/Denver'): Promise<string> {
    const p = await RequestContext.run({ requestId: 't', channel: 'system' }, () =>
      api.app.get(PracticesService).create({ slug: `c${++slugCounter}`, timezone }),
    );
    return p.id;
  }

  const importFile = (
    practiceId: string,
    file: string,
    opts: Partial<Omit<ContactImportInput, 'path'>> = {},
  ) =>
    contacts.importFile(
      practiceId,
      { path: file, name: path.basename(file), category: 'existing_partner', ...opts },
      null,
    );

  async function all(practiceId: string): Promise<ContactView[]> {
    return (await contacts.list(practiceId, { limit: 500 })).items;
  }
  const byOrg = (items: ContactView[], organisation: string) =>
    items.find((c) => c.organisation === organisation)!;

  async function snapshot(practiceId: string) {
    return db.query(
      `SELECT contact_key, content_hash, updated_at FROM contact WHERE practice_id = $1 ORDER BY contact_key`,
      [practiceId],
    );
  }

  it('imports a referring-partner list: counts, stored values, rejects with line, column and reason', async () => {
    const practice = await newPractice();
    const summary = await importFile(practice, ok('referring-partners.csv'));
    expect(summary).toMatchObject({
      file: 'referring-partners.csv',
      category: 'existing_partner',
      dryRun: false,
      totalRows: 9,
      accepted: 7,
      rejected: 2,
      created: 6,
      updated: 0,
      unchanged: 0,
      mergedRows: 1,
      warnings: 3,
    });
    expect(summary.rejectedRows.map((r) => [r.line, r.column, r.reason])).toEqual([
      [7, 'Organization', 'no organisation'],
      [10, null, 'row has 13 fields but the header has 12'],
    ]);
    expect(summary.rejectedRows[0].originalRow).toBe(
      ',Jim Hale,Practice Administrator,847-555-0155,,,,jim@hale.example,,Evanston,IL,60201',
    );
    expect(summary.warningRows.map((r) => [r.line, r.column])).toEqual([
      [5, 'Email'],
      [9, 'State'],
      [9, 'Office Phone'],
    ]);

    const items = await all(practice);
    expect(items.map((c) => c.organisation)).toEqual([
      'Bayside Chiropractic',
      'Desert Sun Dermatology',
      'Lakeview Pediatrics, P.C.',
      'Northside Family Dental',
      'Oak Park Orthopedics',
      'Riverside Physical Therapy',
    ]);
    expect(items.every((c) => c.category === 'existing_partner')).toBe(true);

    // The repeated row folded in: its phones first, then the earlier row's; the role it lacked stayed.
    expect(byOrg(items, 'Lakeview Pediatrics, P.C.')).toMatchObject({
      contactKey: 'lakeview pediatrics, p.c.|dr. maria chen',
      contactName: 'Dr. Maria Chen',
      contactRole: 'Medical Director',
      phones: [
        { e164: '+13125550142', extension: '204', raw: '(312) 555-0142 x204', type: 'work', valid: true },
        { e164: '+13125550177', extension: null, raw: '312-555-0177', type: 'mobile', valid: true },
        { e164: '+13125550199', extension: null, raw: '312.555.0199', type: 'work', valid: true },
      ],
      email: 'mchen@lakeviewpeds.example',
      address: '1200 N Lake Shore Dr, Suite 300',
      city: 'Chicago',
      state: 'IL',
      zip: '60610',
      timeZone: 'America/Chicago',
      timeZoneSource: 'zip',
      doNotCallAt: null,
      callable: true,
    });
    const northside = byOrg(items, 'Northside Family Dental');
    expect(northside.phones.map((p) => [p.e164, p.type])).toEqual([
      ['+17735550110', 'work'],
      ['+17735550188', 'mobile'],
    ]);
    expect(northside).toMatchObject({ email: 'tom@northsidedental.example', state: 'IL' });
    expect(byOrg(items, 'Riverside Physical Therapy').phones[0]).toMatchObject({
      e164: '+16305550123',
      extension: '12',
    });
    expect(byOrg(items, 'Oak Park Orthopedics')).toMatchObject({
      contactKey: 'oak park orthopedics|',
      contactName: null,
      contactRole: 'Front Desk',
    });
    expect(byOrg(items, 'Desert Sun Dermatology')).toMatchObject({
      timeZone: 'America/Phoenix',
      timeZoneSource: 'zip',
    });
    // Unknown state, no ZIP: the practice's zone; an invalid phone is kept and never dialled.
    expect(byOrg(items, 'Bayside Chiropractic')).toMatchObject({
      state: null,
      timeZone: 'America/Denver',
      timeZoneSource: 'practice',
      phones: [{ raw: '555-0100', valid: false }],
      callable: false,
    });
  });

  it('reads a Windows-1252 semicolon list keyed by its id column, with a time zone from the ZIP', async () => {
    const practice = await newPractice();
    const summary = await importFile(practice, ok('community-cp1252-semicolon.csv'), {
      category: 'community',
    });
    expect(summary).toMatchObject({ totalRows: 4, accepted: 4, rejected: 0, created: 4, warnings: 2 });
    expect(summary.format).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    const items = await all(practice);
    expect(byOrg(items, 'Église Saint-Jean')).toMatchObject({
      contactKey: 'C-001',
      contactName: 'Père François Côté',
      zip: '02108',
      timeZone: 'America/New_York',
      timeZoneSource: 'zip',
      category: 'community',
    });
    expect(byOrg(items, 'Roxbury Senior Center').phones[0]).toMatchObject({
      e164: '+16175550150',
      extension: '3',
    });
  });

  it('is idempotent: a re-import of the same file changes nothing', async () => {
    const practice = await newPractice();
    await importFile(practice, ok('referring-partners.csv'));
    const before = await snapshot(practice);
    const again = await importFile(practice, ok('referring-partners.csv'));
    expect(again).toMatchObject({ accepted: 7, created: 0, updated: 0, unchanged: 6 });
    expect(await snapshot(practice)).toEqual(before);
  });

  it('updates only the contacts whose row changed, and never lifts a do-not-call', async () => {
    const practice = await newPractice();
    await importFile(practice, ok('referring-partners.csv'));
    const dncAt = new Date('2026-05-01T12:00:00Z');
    await db.query(
      `UPDATE contact SET do_not_call_at = $2 WHERE practice_id = $1 AND organisation = 'Northside Family Dental'`,
      [practice, dncAt],
    );

    const changed = path.join(work, 'referring-partners-v2.csv');
    const text = readFileSync(ok('referring-partners.csv'), 'utf8')
      .replace('Tom@NorthsideDental.example', 'tom.obrien@northsidedental.example')
      .replace('88 River Rd', '90 River Rd');
    writeFileSync(changed, text);
    const summary = await importFile(practice, changed);
    expect(summary).toMatchObject({ created: 0, updated: 2, unchanged: 4 });

    const items = await all(practice);
    expect(byOrg(items, 'Northside Family Dental')).toMatchObject({
      email: 'tom.obrien@northsidedental.example',
      doNotCallAt: dncAt.toISOString(),
      callable: false,
    });
    expect(byOrg(items, 'Riverside Physical Therapy').address).toBe('90 River Rd');
  });

  it('sets a do-not-call from a flag column and keeps it when the flag goes away', async () => {
    const practice = await newPractice();
    const file = path.join(work, 'dnc.csv');
    writeFileSync(file, 'Practice,Phone,DNC\nAcme Clinic,312-555-0142,Y\nBeta Clinic,312-555-0143,\n');
    expect(await importFile(practice, file)).toMatchObject({ created: 2 });
    expect(byOrg(await all(practice), 'Acme Clinic').doNotCallAt).toBe(clock.nowDate().toISOString());
    writeFileSync(file, 'Practice,Phone,DNC\nAcme Clinic,312-555-0142,\nBeta Clinic,312-555-0143,\n');
    expect(await importFile(practice, file)).toMatchObject({ updated: 1, unchanged: 1 });
    const items = await all(practice);
    expect(byOrg(items, 'Acme Clinic').doNotCallAt).toBe(clock.nowDate().toISOString());
    expect(byOrg(items, 'Beta Clinic').doNotCallAt).toBeNull();
  });

  it('counts a dry run exactly and writes nothing', async () => {
    const practice = await newPractice();
    const dry = await importFile(practice, ok('referring-partners.csv'), { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, accepted: 7, rejected: 2, created: 6, updated: 0 });
    expect(await all(practice)).toEqual([]);

    await importFile(practice, ok('referring-partners.csv'));
    const before = await snapshot(practice);
    const changed = path.join(work, 'dry-changed.csv');
    writeFileSync(
      changed,
      readFileSync(ok('referring-partners.csv'), 'utf8').replace('88 River Rd', '1 New Rd'),
    );
    expect(await importFile(practice, changed, { dryRun: true })).toMatchObject({ updated: 1, unchanged: 5 });
    expect(await snapshot(practice)).toEqual(before);
  });

  it('is all or nothing: a broken file names its line and leaves the contacts as they were', async () => {
    const practice = await newPractice();
    await importFile(practice, ok('referring-partners.csv'));
    const before = await snapshot(practice);
    await expect(importFile(practice, notOk('unclosed-quote.csv'))).rejects.toThrow(
      'unclosed-quote.csv, line 3: a quoted field is never closed; nothing was imported',
    );
    await expect(importFile(practice, notOk('empty.csv'))).rejects.toThrow('empty.csv: the file is empty');
    expect(await snapshot(practice)).toEqual(before);
  });

  it('refuses an unknown category and a mapping without an organisation', async () => {
    const practice = await newPractice();
    await expect(
      importFile(practice, ok('referring-partners.csv'), { category: 'patients' as never }),
    ).rejects.toThrow(/category must be one of existing_partner, new_partner, community/);
    await expect(
      importFile(practice, ok('referring-partners.csv'), {
        mapping: { columns: { contactName: 'Contact Name' } },
      }),
    ).rejects.toThrow(/organisation: map the column/);
    expect(await all(practice)).toEqual([]);
  });

  it('keeps practices apart: the same list in two practices makes two sets of contacts', async () => {
    const a = await newPractice();
    const b = await newPractice('America/New_York');
    await importFile(a, ok('referring-partners.csv'));
    const copy = path.join(work, 'same-list.csv');
    copyFileSync(ok('referring-partners.csv'), copy);
    expect(await importFile(b, copy)).toMatchObject({ created: 6, updated: 0 });
    expect(byOrg(await all(a), 'Bayside Chiropractic').timeZone).toBe('America/Denver');
    expect(byOrg(await all(b), 'Bayside Chiropractic').timeZone).toBe('America/New_York');
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM contact WHERE practice_id = ANY($1)`, [
      [a, b],
    ]);
    expect(n).toBe(12);
  });

  it('lists contacts by category and search, paged', async () => {
    const practice = await newPractice();
    await importFile(practice, ok('referring-partners.csv'), { category: 'new_partner' });
    await importFile(practice, ok('community-cp1252-semicolon.csv'), { category: 'community' });
    expect((await contacts.list(practice)).total).toBe(10);
    expect((await contacts.list(practice, { category: 'community' })).total).toBe(4);
    expect((await contacts.list(practice, { category: 'existing_partner' })).total).toBe(0);
    expect((await contacts.list(practice, { search: 'lakeview' })).items.map((c) => c.contactName)).toEqual([
      'Dr. Maria Chen',
    ]);
    expect(
      (await contacts.list(practice, { search: '(630) 555-0123' })).items.map((c) => c.organisation),
    ).toEqual(['Riverside Physical Therapy']);
    expect((await contacts.list(practice, { search: '100%' })).total).toBe(0);
    const page = await contacts.list(practice, { limit: 3, offset: 3 });
    expect(page.total).toBe(10);
    expect(page.items).toHaveLength(3);
  });

  it('audits each import with ids and counts, never names or phones', async () => {
    const practice = await newPractice();
    await importFile(practice, ok('referring-partners.csv'), { dryRun: true });
    await importFile(practice, ok('referring-partners.csv'));
    await importFile(practice, notOk('empty.csv')).catch(() => undefined);
    const events = await api.app
      .get(AuditService)
      .find({ practiceIds: [practice], action: 'contacts.import' });
    // One clock instant for all three: compare without order.
    expect(events.map((e) => `${e.outcome}:${e.details.dryRun}`).sort()).toEqual([
      'failure:false',
      'success:false',
      'success:true',
    ]);
    const run = events.find((e) => e.outcome === 'success' && e.details.dryRun === false)!;
    expect(run.details).toMatchObject({
      category: 'existing_partner',
      totalRows: 9,
      accepted: 7,
      rejected: 2,
      created: 6,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const text = JSON.stringify(events.map((e) => e.details));
    for (const secret of ['Lakeview', 'Maria', '555', 'referring-partners'])
      expect(text).not.toContain(secret);
  });
});
