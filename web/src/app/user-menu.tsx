import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TMe } from '../lib/api-types.ts';
import { initials } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.ts';
import { Link, useLocation } from './router.tsx';
import { signOut } from './session.ts';
import { Icon } from './ui/icons.tsx';

/** Disclosure button with the person's name; opens a short list: devices, sign out. */
export function UserMenu({ me }: { me: TMe }): JSX.Element {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const { path } = useLocation();

  useEffect(() => setOpen(false), [path]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onPointer = (e: PointerEvent) => {
      if (root.current && e.target instanceof Node && !root.current.contains(e.target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <div class="user-menu" ref={root}>
      <button
        ref={button}
        type="button"
        class="user-menu-button"
        aria-expanded={open}
        aria-controls="user-menu-panel"
        onClick={() => setOpen((o) => !o)}
      >
        <span class="avatar" aria-hidden="true">
          {initials(me.firstName, me.lastName)}
        </span>
        <span class="user-menu-name">
          {me.firstName} {me.lastName}
        </span>
        <Icon name="chevronDown" size={16} />
      </button>
      <div id="user-menu-panel" class="user-menu-panel" hidden={!open}>
        <p class="user-menu-who">
          <strong>
            {me.firstName} {me.lastName}
          </strong>
          <span>{me.login}</span>
        </p>
        <ul>
          <li>
            <Link href="/compte/sessions">
              <Icon name="device" size={18} />
              {t('nav.devices')}
            </Link>
          </li>
          <li>
            <button type="button" onClick={() => void signOut()}>
              <Icon name="logout" size={18} />
              {t('nav.signOut')}
            </button>
          </li>
        </ul>
      </div>
    </div>
  );
}
