import { PracticesService } from '@recall/auth';
import { parseConfig, RecallConfig } from '@recall/config';
import { Role } from '@recall/core';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { launchCampaign } from './support/scenario';
import { seed, startTestApi, TestApi, tokenFor } from './support/test-api';

const MB = 1024 * 1024;
const HEADER = 'MRN,First Name,Last Name,Birth Date,Phone\n';

/** Upload limits with a small configured size: type and size refused per form field, nothing kept. */
describe('upload and request size limits', () => {
  let api: TestApi;
  let auth: { Authorization: string };
  let base: string;
  let cycleId: string;
  const importDir = mkdtempSync(path.join(os.tmpdir(), 'recall-upload-limits-'));

  const csvOf = (bytes: number) => {
    const row = 'A1,Ann,Able,1970-01-02,312-555-0101\n';
    return Buffer.from(HEADER + row.repeat(Math.ceil(bytes / row.length)));
  };
  let kept: string[] = [];
  /** Files left in the import directory besides those of accepted uploads. */
  const uploads = () => {
    const dir = api.app.get(RecallConfig).importDir;
    return existsSync(dir) ? readdirSync(dir).filter((f) => !kept.includes(f)) : [];
  };
  const imports = async () =>
    (await api.app.get(DataSource).query(`SELECT count(*)::int AS n FROM patient_import`))[0].n;

  beforeAll(async () => {
    api = await startTestApi({
      env: { UPLOAD_MAX_MB: '1', BODY_MAX_KB: '64', IMPORT_DIR: importDir, LOGIN_THROTTLE_LIMIT: '1000' },
    });
    await seed(
      api,
      ['north'],
      [
        { login: 'north.manager', role: Role.Manager, practices: ['north'] },
        { login: 'north.agent', role: Role.Agent, practices: ['north'] },
      ],
    );
    const practiceId = (await api.app.get(PracticesService).findBySlug('north')).id;
    base = `/api/practices/${practiceId}`;
    auth = { Authorization: `Bearer ${await tokenFor(api, 'north.manager')}` };
    cycleId = (
      await launchCampaign(api, practiceId, {
        type: 'reactivation',
        name: 'R',
        agents: ['north.agent'],
        seed: 1,
      })
    ).cycleId!;
  });
  afterAll(async () => {
    await api.close();
    rmSync(importDir, { recursive: true, force: true });
  });

  it('defaults to 200 MB per file and 1 MB of JSON', () => {
    const config = parseConfig({ NODE_ENV: 'test' });
    expect(config.env.UPLOAD_MAX_MB).toBe(200);
    expect(config.env.BODY_MAX_KB).toBe(1024);
    expect(() => parseConfig({ NODE_ENV: 'test', UPLOAD_MAX_MB: '0' })).toThrow(/UPLOAD_MAX_MB/);
  });

  it('accepts an EMR export under the limit', async () => {
    const res = await api
      .http()
      .post(`${base}/imports`)
      .set(auth)
      .attach('patients', csvOf(MB / 2), 'patients.csv');
    expect(res.status).toBe(201);
    kept = readdirSync(importDir);
    expect(kept).toHaveLength(1);
  });

  it('refuses an EMR export past the limit with 413 naming the field and the limit, keeping nothing', async () => {
    const before = await imports();
    const res = await api
      .http()
      .post(`${base}/imports`)
      .set(auth)
      .attach('patients', csvOf(MB / 4), 'patients.csv')
      .attach('appointments', csvOf(2 * MB), 'appointments.csv');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ field: 'appointments' });
    expect(res.body.message).toBe('appointments: the file is larger than the 1 MB limit (UPLOAD_MAX_MB)');
    expect(await imports()).toBe(before);
    await new Promise((r) => setTimeout(r, 100));
    expect(uploads()).toEqual([]);
  });

  it('refuses a file of another type with 415 naming the field, and an unknown file field with 400', async () => {
    const pdf = await api
      .http()
      .post(`${base}/imports`)
      .set(auth)
      .attach('patients', Buffer.from('%PDF-1.7\n'), 'patients.pdf');
    expect(pdf.status).toBe(415);
    expect(pdf.body).toMatchObject({ field: 'patients' });
    expect(pdf.body.message).toMatch(/^patients: patients\.pdf is not an accepted type \(\.csv/);
    const stray = await api.http().post(`${base}/imports`).set(auth).attach('payload', csvOf(10), 'x.csv');
    expect(stray.status).toBe(400);
    expect(stray.body.message).toMatch(/^payload: not a file field here; send "patients"/);
    const twice = await api
      .http()
      .post(`${base}/imports`)
      .set(auth)
      .attach('patients', csvOf(10), 'a.csv')
      .attach('patients', csvOf(10), 'b.csv');
    expect(twice.status).toBe(400);
    expect(twice.body.message).toMatch(/^patients: one file at most/);
    expect(uploads()).toEqual([]);
  });

  it('applies the same limits to cycle sheets and contact lists', async () => {
    const sheet = `${base}/cycles/${cycleId}/sheets`;
    const big = await api
      .http()
      .post(sheet)
      .set(auth)
      .attach('file', csvOf(2 * MB), 'sheet.xlsx');
    expect(big.status).toBe(413);
    expect(big.body.message).toBe('file: the file is larger than the 1 MB limit (UPLOAD_MAX_MB)');
    const exe = await api.http().post(sheet).set(auth).attach('file', Buffer.from('MZ'), 'sheet.exe');
    expect(exe.status).toBe(415);
    expect(exe.body.message).toMatch(/^file: sheet\.exe is not an accepted type \(\.xlsx, \.csv/);
    const contacts = await api
      .http()
      .post(`${base}/contacts/import`)
      .set(auth)
      .field('category', 'community')
      .attach('file', csvOf(2 * MB), 'contacts.csv');
    expect(contacts.status).toBe(413);
    expect(contacts.body).toMatchObject({ field: 'file' });
    const xlsx = await api
      .http()
      .post(`${base}/contacts/import`)
      .set(auth)
      .field('category', 'community')
      .attach('file', Buffer.from('PK'), 'contacts.xlsx');
    expect(xlsx.status).toBe(415);
    expect(uploads()).toEqual([]);
  });

  it('refuses a malformed multipart body with 400, and JSON past BODY_MAX_KB with 413', async () => {
    const broken = await api
      .http()
      .post(`${base}/imports`)
      .set(auth)
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="patients"; filename="p.csv"\r\n\r\nMRN\r\n');
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/^body: not a valid multipart form/);
    const json = await api
      .http()
      .post(`${base}/remarks/screen`)
      .set(auth)
      .send({ text: 'x'.repeat(100 * 1024) });
    expect(json.status).toBe(413);
    expect(json.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'body: larger than the 64 KB limit (BODY_MAX_KB)',
      field: 'body',
    });
  });
});
