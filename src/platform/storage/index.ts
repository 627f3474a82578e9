/** The BlobStore the configuration asks for (STORAGE): a local folder or an S3-compatible bucket. */
import type { StorageConfig } from '../../config.ts';
import type { BlobStore } from './blob-store.ts';
import { createLocalDiskStore } from './local-disk.ts';

/** The AWS SDK is loaded only when STORAGE=s3 (it weighs ~10 MB of modules and warns on Node 20). */
export async function openBlobStore(storage: StorageConfig): Promise<BlobStore> {
  switch (storage.kind) {
    case 'local':
      return createLocalDiskStore(storage.dir);
    case 's3': {
      const { createS3Client, createS3Store } = await import('./s3.ts');
      return createS3Store({ client: createS3Client(storage), bucket: storage.bucket });
    }
  }
}
