/**
 * A teacher's (or staff member's) documents: breadcrumb, folders then files of the open folder,
 * upload by button or drag and drop with progress, and per item: share, rename, move, delete.
 */
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { Icon } from '../../app/ui/icons.tsx';
import { describeError } from '../../lib/errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { documentsApi, type TLibrary, type TLibraryFolder, type TShare } from './documents-api.ts';
import { FileLine, formatBytes, formatShortDate } from './documents-ui.tsx';
import { ItemDialog, type DialogState, type Item } from './item-dialogs.tsx';
import { useUploads, type UploadEntry } from './use-uploads.ts';

interface LibraryProps {
  library: TLibrary;
  reload: () => void;
  announce: (message: string) => void;
}

function pathTo(folders: TLibraryFolder[], folderId: string | null): TLibraryFolder[] {
  const path: TLibraryFolder[] = [];
  for (let id = folderId; id !== null; ) {
    const folder = folders.find((f) => f.id === id);
    if (!folder || path.includes(folder)) break;
    path.unshift(folder);
    id = folder.parentId;
  }
  return path;
}

function Breadcrumb({ path, onOpen }: { path: TLibraryFolder[]; onOpen: (id: string | null) => void }): JSX.Element {
  const { t } = useI18n();
  const crumbs = [{ id: null as string | null, name: t('documents.root') }, ...path];
  return (
    <nav aria-label={t('documents.breadcrumb')}>
      <ol class="doc-breadcrumb">
        {crumbs.map((c, i) => (
          <li key={c.id ?? 'root'}>
            {i === crumbs.length - 1 ? (
              <span aria-current="location">{c.name}</span>
            ) : (
              <button type="button" class="btn-ghost doc-crumb" onClick={() => onOpen(c.id)}>
                {c.name}
              </button>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function ShareChips({ shares, name, onUnshare }: { shares: TShare[]; name: string; onUnshare: (share: TShare) => void }): JSX.Element {
  const { t } = useI18n();
  if (shares.length === 0) return <span class="badge">{t('documents.notShared')}</span>;
  return (
    <ul class="doc-chips" aria-label={`${t('documents.sharedWith')} : ${name}`}>
      {shares.map((s) => (
        <li key={s.id} class="badge badge-info doc-chip">
          <Icon name="users" size={14} />
          {s.className}
          <button type="button" class="doc-chip-remove" aria-label={t('documents.unshare', { class: s.className })} title={t('documents.unshare', { class: s.className })} onClick={() => onUnshare(s)}>
            <Icon name="close" size={14} />
          </button>
        </li>
      ))}
    </ul>
  );
}

function ItemActions({ target, onDialog }: { target: Item; onDialog: (d: DialogState) => void }): JSX.Element {
  const { t } = useI18n();
  const buttons: Array<{ state: DialogState; icon: 'share' | 'pencil' | 'move' | 'trash'; label: string }> = [
    { state: { type: 'share', target }, icon: 'share', label: t('documents.share') },
    { state: { type: 'rename', target }, icon: 'pencil', label: t('documents.rename') },
    { state: { type: 'move', target }, icon: 'move', label: t('documents.move') },
    { state: { type: 'delete', target }, icon: 'trash', label: t('documents.delete') },
  ];
  return (
    <div class="doc-actions" role="group" aria-label={t('documents.actions', { name: target.item.name })}>
      {buttons.map((b) => (
        <button key={b.state.type} type="button" class="btn btn-secondary btn-small" onClick={() => onDialog(b.state)}>
          <Icon name={b.icon} size={16} />
          {b.label}
        </button>
      ))}
    </div>
  );
}

function UploadList({ entries, onDismiss }: { entries: UploadEntry[]; onDismiss: (key: number) => void }): JSX.Element | null {
  const { t, locale } = useI18n();
  const visible = entries.filter((e) => e.status !== 'done');
  if (visible.length === 0) return null;
  return (
    <ul class="doc-uploads" aria-label={t('documents.uploads')}>
      {visible.map((e) => {
        const percent = e.total > 0 ? Math.round((e.sent / e.total) * 100) : 0;
        return (
          <li key={e.key} class={e.status === 'failed' ? 'doc-upload doc-upload-failed' : 'doc-upload'}>
            {e.status === 'failed' ? (
              <p role="alert">
                <Icon name="alert" size={18} />
                {t('documents.uploadFailed', { name: e.name, reason: describeError(e.error, t, locale) })}
              </p>
            ) : (
              <label>
                {t('documents.uploading', { name: e.name, percent })}
                <progress max={100} value={percent} />
              </label>
            )}
            <button
              type="button"
              class="btn btn-ghost btn-small"
              onClick={() => (e.status === 'failed' ? onDismiss(e.key) : e.cancel())}
              aria-label={e.status === 'failed' ? `${t('documents.dismiss')} : ${e.name}` : t('documents.cancelUpload', { name: e.name })}
            >
              <Icon name="close" size={16} />
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export function LibraryView({ library, reload, announce }: LibraryProps): JSX.Element {
  const { t, tn, locale } = useI18n();
  const [folderId, setFolderId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const max = formatBytes(library.quota.maxFileBytes, t, locale);
  const uploads = useUploads({
    maxBytes: library.quota.maxFileBytes,
    tooBig: () => t('documents.tooBigBefore', { max }),
    onUploaded: (name) => {
      announce(t('documents.uploaded', { name }));
      reload();
    },
  });

  const open = folderId !== null && library.folders.some((f) => f.id === folderId) ? folderId : null;
  const path = pathTo(library.folders, open);
  const here = path.at(-1)?.name ?? t('documents.root');
  const folders = library.folders.filter((f) => f.parentId === open);
  const files = library.files.filter((f) => f.folderId === open);
  const inherited = [...new Set(path.flatMap((f) => f.shares.map((s) => s.className)))];
  const count = (id: string) => library.folders.filter((f) => f.parentId === id).length + library.files.filter((f) => f.folderId === id).length;

  const unshare = async (share: TShare, name: string) => {
    try {
      await documentsApi.unshare(share.id);
      announce(t('documents.unshared', { name, class: share.className }));
    } catch (cause) {
      announce(describeError(cause, t, locale));
    }
    reload();
  };
  const openFolder = (id: string | null) => {
    setFolderId(id);
    requestAnimationFrame(() => document.getElementById('doc-list-title')?.focus());
  };

  return (
    <section
      class={dragging ? 'card doc-library doc-dragging' : 'card doc-library'}
      aria-labelledby="doc-list-title"
      onDragOver={(e) => {
        if (!e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (e.dataTransfer?.files.length) uploads.add(e.dataTransfer.files, open);
      }}
    >
      <div class="doc-toolbar">
        {path.length > 0 ? <Breadcrumb path={path} onOpen={openFolder} /> : <span />}
        <div class="doc-toolbar-actions">
          <button type="button" class="btn btn-secondary" onClick={() => setDialog({ type: 'new-folder', parentId: open, parentName: here })}>
            <Icon name="folderPlus" size={18} />
            {t('documents.newFolder')}
          </button>
          <button type="button" class="btn btn-primary" onClick={() => input.current?.click()} aria-describedby="doc-upload-hint">
            <Icon name="upload" size={18} />
            {t('documents.upload')}
          </button>
          <input
            ref={input}
            id="doc-upload-input"
            class="visually-hidden"
            type="file"
            multiple
            tabIndex={-1}
            aria-label={t('documents.upload')}
            onChange={(e) => {
              if (e.currentTarget.files?.length) uploads.add(e.currentTarget.files, open);
              e.currentTarget.value = '';
            }}
          />
        </div>
      </div>
      <p class="field-hint" id="doc-upload-hint">
        {t('documents.uploadHint', { max })}
      </p>
      {dragging && <p class="doc-drop-hint">{t('documents.dropHere', { folder: here })}</p>}
      <UploadList entries={uploads.entries} onDismiss={uploads.dismiss} />

      <h2 id="doc-list-title" class="card-title" tabIndex={-1}>
        <Icon name="folder" class="card-icon" />
        {open === null ? t('documents.mine') : t('documents.folderContents', { folder: here })}
      </h2>
      {inherited.length > 0 && <p class="doc-inherited">{t('documents.inheritedShare', { classes: inherited.join(', ') })}</p>}
      {folders.length + files.length === 0 ? (
        <p class="empty">{t('documents.emptyFolder')}</p>
      ) : (
        <ul class="doc-list">
          {folders.map((f) => (
            <li key={f.id} class="doc-item">
              <Icon name="folder" size={28} class="doc-icon doc-icon-folder" />
              <div class="doc-main">
                <button type="button" class="doc-name doc-open" onClick={() => openFolder(f.id)} aria-label={t('documents.open', { name: f.name })}>
                  {f.name}
                </button>
                <p class="doc-meta">
                  {t('documents.folderKind')} · {tn('documents.items', count(f.id))}
                </p>
                <ShareChips shares={f.shares} name={f.name} onUnshare={(s) => void unshare(s, f.name)} />
              </div>
              <ItemActions target={{ kind: 'folder', item: f }} onDialog={setDialog} />
            </li>
          ))}
          {files.map((f) => (
            <FileLine
              key={f.id}
              file={f}
              detail={<time dateTime={f.createdAt}>{formatShortDate(f.createdAt, locale)}</time>}
              trailing={<ItemActions target={{ kind: 'file', item: f }} onDialog={setDialog} />}
            >
              <ShareChips shares={f.shares} name={f.name} onUnshare={(s) => void unshare(s, f.name)} />
            </FileLine>
          ))}
        </ul>
      )}
      {dialog && (
        <ItemDialog
          state={dialog}
          library={library}
          onDone={(message) => {
            setDialog(null);
            if (message) {
              announce(message);
              reload();
            }
          }}
        />
      )}
    </section>
  );
}
