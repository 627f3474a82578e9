/**
 * The documents pages' calls, typed by the server's schemas (types only: nothing of TypeBox
 * reaches the bundle), and the upload with progress (XMLHttpRequest: fetch cannot report upload
 * progress), reusable by any page that attaches files.
 */
import { currentMe } from '../../app/session.ts';
import { api, ApiError, setCsrfToken } from '../../lib/api-client.ts';
import type { TFile, TFolder, TLibrary, TShares, TSharedDocuments } from '../../../../src/modules/documents/documents.schemas.ts';

export type { TFile, TFolder, TLibrary, TShare, TSharedDocuments, TSharedFile } from '../../../../src/modules/documents/documents.schemas.ts';
export type TLibraryFile = TLibrary['files'][number];
export type TLibraryFolder = TLibrary['folders'][number];
export type TShareClass = TLibrary['classes'][number];

const id = encodeURIComponent;

export const documentsApi = {
  library: (signal?: AbortSignal) => api.get<TLibrary>('/api/documents', { signal }),
  shared: (signal?: AbortSignal) => api.get<TSharedDocuments>('/api/documents/shared', { signal }),
  createFolder: (name: string, parentId: string | null) => api.post<TFolder>('/api/documents/folders', { name, parentId }),
  updateFolder: (folderId: string, body: { name?: string; parentId?: string | null }) => api.patch<TFolder>(`/api/documents/folders/${id(folderId)}`, body),
  deleteFolder: (folderId: string) => api.delete(`/api/documents/folders/${id(folderId)}`),
  updateFile: (fileId: string, body: { name?: string; folderId?: string | null }) => api.patch<TFile>(`/api/documents/files/${id(fileId)}`, body),
  deleteFile: (fileId: string) => api.delete(`/api/documents/files/${id(fileId)}`),
  setShares: (kind: 'file' | 'folder', itemId: string, classIds: string[]) => api.put<TShares>(`/api/documents/${kind}s/${id(itemId)}/shares`, { classIds }),
  unshare: (shareId: string) => api.delete(`/api/documents/shares/${id(shareId)}`),
};

/** Where a file can be downloaded by anyone allowed to read it. */
export const fileContentUrl = (fileId: string): string => `/api/documents/files/${id(fileId)}/content`;

let csrf: string | null = null;

function post(url: string, form: FormData, token: string, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-csrf-token', token);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.response as unknown });
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'Le serveur ne répond pas. Vérifiez votre connexion.'));
    xhr.onabort = () => reject(new DOMException('Envoi annulé', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/**
 * Sends one file to POST /api/files (into `folderId` when given) and resolves with its record.
 * `onProgress` gets bytes sent and total as the upload goes; errors are ApiError with the
 * server's French message (413 too large or quota full, 415 type refused…).
 */
export async function uploadFile(
  file: File,
  options: { folderId?: string | null; onProgress?: (sent: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<TFile> {
  const url = options.folderId ? `/api/files?folderId=${id(options.folderId)}` : '/api/files';
  const form = new FormData();
  form.append('file', file, file.name);
  const onProgress = options.onProgress ?? (() => undefined);
  for (let attempt = 0; ; attempt++) {
    const token = csrf ?? currentMe()?.csrfToken ?? '';
    const { status, body } = await post(url, form, token, onProgress, options.signal);
    if (status === 201) return body as TFile;
    const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    const failure = new ApiError(status, error?.code ?? 'HTTP', error?.message ?? '', error?.details);
    if (attempt === 0 && status === 403 && /csrf/i.test(`${failure.code} ${failure.message}`)) {
      csrf = (await api.get<{ csrfToken: string }>('/api/auth/csrf')).csrfToken;
      setCsrfToken(csrf);
      continue;
    }
    throw failure;
  }
}
