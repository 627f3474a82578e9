/**
 * The whole app on STORAGE=s3 (an in-process s3rver): an upload goes through the multipart route
 * into the bucket, and the download route streams it back, whole and by range.
 */
import { createHash } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simplePdf } from './modules/documents/demo/sample-files.ts';
import { hashPassword } from './modules/identity/index.ts';
import { multipartBody } from './platform/http/multipart.test-support.ts';
import { startFakeS3, type FakeS3 } from './platform/storage/s3rver.test-support.ts';
import { browsers, buildTestApp } from './test/app.ts';
import { FIXTURE_PASSWORD, createSchoolFixture } from './test/fixtures.ts';

let fake: FakeS3;
beforeAll(async () => {
  fake = await startFakeS3();
});
afterAll(async () => {
  await fake?.stop();
});

describe('the app on STORAGE=s3', () => {
  it('stores an upload in the bucket and serves it back whole and by range', async () => {
    const s3 = fake.client();
    const { bucket, dispose } = await fake.freshBucket(s3);
    const t = await buildTestApp({
      env: { STORAGE: 's3', S3_BUCKET: bucket, S3_REGION: 'us-east-1', S3_ENDPOINT: fake.endpoint, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' },
    });
    try {
      await createSchoolFixture(t.deps.database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
      const lea = await browsers(() => t.app, FIXTURE_PASSWORD)('lea.martin');
      const pdf = simplePdf('Exposé sur les volcans', ['Introduction.']);
      const uploaded = await lea.request({ method: 'POST', url: '/api/files', ...multipartBody({ filename: 'Exposé.pdf', bytes: pdf }) });
      expect(uploaded.statusCode).toBe(201);
      const { id } = uploaded.json<{ id: string }>();
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect(listed.Contents?.map((c) => c.Key)).toEqual([createHash('sha256').update(pdf).digest('hex')]);

      const whole = await lea.request({ method: 'GET', url: `/api/documents/files/${id}/content` });
      expect(whole.statusCode).toBe(200);
      expect(whole.rawPayload.equals(pdf)).toBe(true);
      const range = await lea.request({ method: 'GET', url: `/api/documents/files/${id}/content`, headers: { range: 'bytes=0-7' } });
      expect(range.statusCode).toBe(206);
      expect(range.payload).toBe('%PDF-1.4');
    } finally {
      await t.close();
      await dispose();
    }
  });
});
