/** The library's dialogs: new folder, rename, move, delete (with confirmation), share. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Checkbox, TextField } from '../../app/ui/fields.tsx';
import { Icon } from '../../app/ui/icons.tsx';
import { describeError } from '../../lib/errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { documentsApi, type TLibrary, type TLibraryFile, type TLibraryFolder } from './documents-api.ts';
import { Modal } from './documents-ui.tsx';

export type Item = { kind: 'file'; item: TLibraryFile } | { kind: 'folder'; item: TLibraryFolder };
export type DialogState =
  | { type: 'new-folder'; parentId: string | null; parentName: string }
  | { type: 'rename'; target: Item }
  | { type: 'move'; target: Item }
  | { type: 'delete'; target: Item }
  | { type: 'share'; target: Item };

interface DialogProps {
  state: DialogState;
  library: TLibrary;
  /** Closes the dialog; with a message when something changed (announced, then the library reloads). */
  onDone: (message?: string) => void;
}

/** Runs a change, keeping the dialog open with the server's message when it fails. */
function useAction(onDone: (message?: string) => void) {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone(message);
    } catch (cause) {
      setError(describeError(cause, t, locale));
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function ErrorNotice({ error }: { error: string | null }): JSX.Element | null {
  if (!error) return null;
  return (
    <div class="notice notice-error" role="alert">
      <Icon name="alert" />
      <p>{error}</p>
    </div>
  );
}

function Buttons({ busy, label, danger, onCancel }: { busy: boolean; label: string; danger?: boolean; onCancel: () => void }): JSX.Element {
  const { t } = useI18n();
  return (
    <>
      <button type="button" class="btn btn-secondary" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      <button type="submit" class={danger ? 'btn btn-danger-outline' : 'btn btn-primary'} disabled={busy}>
        {label}
      </button>
    </>
  );
}

function NameDialog({ state, onDone }: DialogProps & { state: Extract<DialogState, { type: 'new-folder' | 'rename' }> }): JSX.Element {
  const { t } = useI18n();
  const { busy, error, run } = useAction(onDone);
  const isNew = state.type === 'new-folder';
  const [name, setName] = useState(isNew ? '' : state.target.item.name);
  const submit = () => {
    const trimmed = name.trim();
    if (!trimmed) return;
    if (state.type === 'new-folder') void run(() => documentsApi.createFolder(trimmed, state.parentId), t('documents.folderCreated', { name: trimmed }));
    else if (state.target.kind === 'folder') void run(() => documentsApi.updateFolder(state.target.item.id, { name: trimmed }), t('documents.renamed', { name: trimmed }));
    else void run(() => documentsApi.updateFile(state.target.item.id, { name: trimmed }), t('documents.renamed', { name: trimmed }));
  };
  const isFolder = isNew || state.target.kind === 'folder';
  return (
    <Modal
      id="doc-name"
      title={isNew ? t('documents.newFolderTitle') : t('documents.renameTitle', { name: state.target.item.name })}
      onClose={() => onDone()}
      onSubmit={submit}
      actions={<Buttons busy={busy || !name.trim()} label={isNew ? t('documents.newFolder') : t('documents.save')} onCancel={() => onDone()} />}
    >
      {isNew && <p>{t('documents.newFolderIn', { folder: state.parentName })}</p>}
      <TextField
        id="doc-name-input"
        label={isFolder ? t('documents.folderName') : t('documents.fileName')}
        value={name}
        onValue={setName}
        maxLength={isFolder ? 100 : 200}
        autoFocus
        required
      />
      <ErrorNotice error={error} />
    </Modal>
  );
}

/** Folders a folder may move into: not itself nor anything under it. */
function destinations(library: TLibrary, target: Item): Array<{ id: string; label: string }> {
  const byParent = new Map<string | null, TLibraryFolder[]>();
  for (const f of library.folders) byParent.set(f.parentId, [...(byParent.get(f.parentId) ?? []), f]);
  const out: Array<{ id: string; label: string }> = [];
  const walk = (parentId: string | null, depth: number) => {
    for (const f of byParent.get(parentId) ?? []) {
      if (target.kind === 'folder' && f.id === target.item.id) continue;
      out.push({ id: f.id, label: `${'\u00a0\u00a0\u00a0'.repeat(depth)}${f.name}` });
      walk(f.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

function MoveDialog({ state, library, onDone }: DialogProps & { state: Extract<DialogState, { type: 'move' }> }): JSX.Element {
  const { t } = useI18n();
  const { busy, error, run } = useAction(onDone);
  const { target } = state;
  const current = target.kind === 'file' ? target.item.folderId : target.item.parentId;
  const [destination, setDestination] = useState(current ?? '');
  const submit = () => {
    const to = destination === '' ? null : destination;
    const message = t('documents.moved', { name: target.item.name });
    if (target.kind === 'folder') void run(() => documentsApi.updateFolder(target.item.id, { parentId: to }), message);
    else void run(() => documentsApi.updateFile(target.item.id, { folderId: to }), message);
  };
  return (
    <Modal
      id="doc-move"
      title={t('documents.moveTitle', { name: target.item.name })}
      onClose={() => onDone()}
      onSubmit={submit}
      actions={<Buttons busy={busy || destination === (current ?? '')} label={t('documents.move')} onCancel={() => onDone()} />}
    >
      <div class="field">
        <label for="doc-move-to">{t('documents.moveTo')}</label>
        <select id="doc-move-to" value={destination} onChange={(e) => setDestination(e.currentTarget.value)}>
          <option value="">{t('documents.root')}</option>
          {destinations(library, target).map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={error} />
    </Modal>
  );
}

function DeleteDialog({ state, onDone }: DialogProps & { state: Extract<DialogState, { type: 'delete' }> }): JSX.Element {
  const { t } = useI18n();
  const { busy, error, run } = useAction(onDone);
  const { target } = state;
  const submit = () => {
    const message = t('documents.deleted', { name: target.item.name });
    void run(() => (target.kind === 'folder' ? documentsApi.deleteFolder(target.item.id) : documentsApi.deleteFile(target.item.id)), message);
  };
  return (
    <Modal
      id="doc-delete"
      title={t('documents.deleteTitle', { name: target.item.name })}
      onClose={() => onDone()}
      onSubmit={submit}
      actions={<Buttons busy={busy} danger label={t('documents.delete')} onCancel={() => onDone()} />}
    >
      <p>{target.kind === 'folder' ? t('documents.deleteFolder') : t('documents.deleteFile')}</p>
      <ErrorNotice error={error} />
    </Modal>
  );
}

function ShareDialog({ state, library, onDone }: DialogProps & { state: Extract<DialogState, { type: 'share' }> }): JSX.Element {
  const { t } = useI18n();
  const { busy, error, run } = useAction(onDone);
  const { target } = state;
  const [chosen, setChosen] = useState<Set<string>>(new Set(target.item.shares.map((s) => s.classId)));
  const toggle = (classId: string, on: boolean) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(classId);
      else next.delete(classId);
      return next;
    });
  const submit = () => void run(() => documentsApi.setShares(target.kind, target.item.id, [...chosen]), t('documents.shareSaved', { name: target.item.name }));
  const groups = [
    { kind: 'class' as const, title: t('documents.classes') },
    { kind: 'group' as const, title: t('documents.groups') },
  ];
  return (
    <Modal
      id="doc-share"
      title={t('documents.shareTitle', { name: target.item.name })}
      onClose={() => onDone()}
      onSubmit={submit}
      actions={<Buttons busy={busy || library.classes.length === 0} label={t('documents.save')} onCancel={() => onDone()} />}
    >
      <p>{t('documents.shareIntro', { kind: t(target.kind === 'file' ? 'documents.shareKind.file' : 'documents.shareKind.folder') })}</p>
      {library.classes.length === 0 && <p class="empty">{t('documents.noClasses')}</p>}
      {groups.map(({ kind, title }) => {
        const classes = library.classes.filter((c) => c.kind === kind);
        if (classes.length === 0) return null;
        return (
          <fieldset key={kind} class="doc-share-set">
            <legend>{title}</legend>
            {classes.map((c) => (
              <Checkbox key={c.id} id={`doc-share-${c.id}`} label={c.name} checked={chosen.has(c.id)} onChange={(on) => toggle(c.id, on)} />
            ))}
          </fieldset>
        );
      })}
      <ErrorNotice error={error} />
    </Modal>
  );
}

/** The dialog for the current state. */
export function ItemDialog(props: DialogProps): JSX.Element {
  const { state } = props;
  switch (state.type) {
    case 'new-folder':
    case 'rename':
      return <NameDialog {...props} state={state} />;
    case 'move':
      return <MoveDialog {...props} state={state} />;
    case 'delete':
      return <DeleteDialog {...props} state={state} />;
    case 'share':
      return <ShareDialog {...props} state={state} />;
  }
}
