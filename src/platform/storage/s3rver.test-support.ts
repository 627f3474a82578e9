/** An in-process s3rver (a fake S3) for tests: a free loopback port, data in a temporary folder. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createS3Client } from './s3.ts';

export interface FakeS3 {
  endpoint: string;
  /** A client with the credentials s3rver accepts (S3RVER/S3RVER), path style. */
  client(): S3Client;
  /** A new empty bucket; dispose() empties and removes it and closes the client. */
  freshBucket(s3: S3Client): Promise<{ bucket: string; dispose: () => Promise<void> }>;
  stop(): Promise<void>;
}

let buckets = 0;

export async function startFakeS3(): Promise<FakeS3> {
  const dir = await mkdtemp(path.join(tmpdir(), 'preau-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    // s3rver only serves path-style requests on an IP address.
    client: () => createS3Client({ bucket: '', region: 'eu-west-3', endpoint, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true }),
    async freshBucket(s3) {
      const bucket = `preau-test-${process.pid}-${++buckets}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      return {
        bucket,
        dispose: async () => {
          const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
          for (const item of listed.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: item.Key }));
          await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
          s3.destroy();
        },
      };
    },
    async stop() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
