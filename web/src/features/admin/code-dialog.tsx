import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../../app/ui/icons.tsx';
import { api } from '../../lib/api-client.ts';
import type { TActivationCode, TPersonRow } from '../../lib/api-types.ts';
import { describeError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.ts';

type State = { kind: 'confirm' } | { kind: 'busy' } | { kind: 'done'; code: TActivationCode } | { kind: 'error'; message: string };

/**
 * Modal (native <dialog>: focus trap and Escape for free). Asks first, since a new code replaces
 * the old one, then shows the code once.
 */
export function CodeDialog({ schoolId, person, onClose }: { schoolId: string; person: TPersonRow; onClose: (changed: boolean) => void }): JSX.Element {
  const { t, locale } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, setState] = useState<State>({ kind: 'confirm' });
  const [copied, setCopied] = useState(false);
  const name = `${person.firstName} ${person.lastName}`;

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);

  const generate = async () => {
    setState({ kind: 'busy' });
    try {
      const code = await api.post<TActivationCode>(
        `/api/schools/${encodeURIComponent(schoolId)}/people/${encodeURIComponent(person.id)}/activation-code`,
      );
      setState({ kind: 'done', code });
    } catch (cause) {
      setState({ kind: 'error', message: describeError(cause, t, locale) });
    }
  };

  const copy = async (code: string) => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  const close = () => onClose(state.kind === 'done');

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="code-dialog-title" onClose={close} onCancel={close}>
      <h2 id="code-dialog-title">{t('code.title')}</h2>
      {state.kind === 'done' ? (
        <div class="stack">
          <p>{t('code.for', { name, login: person.login })}</p>
          <p class="code-display">
            <code>{state.code.activationCode}</code>
          </p>
          <p class="muted">{t('code.expires', { date: formatDateTime(state.code.expiresAt, locale) })}</p>
          <div class="notice notice-warning">
            <Icon name="info" />
            <p>{t('code.once')}</p>
          </div>
          <p class="visually-hidden" role="status">
            {copied ? t('code.copied') : ''}
          </p>
        </div>
      ) : (
        <div class="stack">
          <p>{t('code.confirm', { name, login: person.login })}</p>
          <p class="muted">{t('code.replaces')}</p>
          {state.kind === 'error' && (
            <div class="notice notice-error" role="alert">
              <Icon name="alert" />
              <p>{state.message}</p>
            </div>
          )}
        </div>
      )}
      <div class="form-actions">
        {state.kind === 'done' ? (
          <>
            <button type="button" class="btn btn-secondary" onClick={() => void copy(state.code.activationCode)}>
              <Icon name={copied ? 'check' : 'copy'} size={18} />
              {copied ? t('code.copied') : t('code.copy')}
            </button>
            <button type="button" class="btn btn-primary" onClick={close}>
              {t('common.close')}
            </button>
          </>
        ) : (
          <>
            <button type="button" class="btn btn-secondary" onClick={close}>
              {t('common.cancel')}
            </button>
            <button type="button" class="btn btn-primary" disabled={state.kind === 'busy'} onClick={() => void generate()}>
              <Icon name="key" size={18} />
              {state.kind === 'busy' ? t('code.generating') : t('code.generate')}
            </button>
          </>
        )}
      </div>
    </dialog>
  );
}
