/** The site admins' switch for round-robin auto-assignment of the picked site's waiting conversations. */
import { useEffect, useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { t } from '../i18n/index.ts';
import { refusalText } from '../i18n/refusals.ts';

export function AutoAssignToggle({ socket, siteKey }: { socket: OperatorSocket; siteKey: string | undefined }) {
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void request(socket, 'team:list', { siteKey }).then((res) => {
      if (live && res.ok) setEnabled(res.data.autoAssign);
    });
    return () => {
      live = false;
    };
  }, [socket, siteKey]);

  if (enabled === null) return null;
  return (
    <label class="auto-assign small" title={t('autoAssign.hint')}>
      <input
        type="checkbox"
        checked={enabled}
        onChange={async (e) => {
          const wanted = e.currentTarget.checked;
          setError(null);
          const res = await request(socket, 'team:auto-assign', { siteKey, enabled: wanted });
          if (res.ok) setEnabled(res.data.autoAssign);
          else setError(refusalText(res.error));
        }}
      />{' '}
      {t('autoAssign.label')}
      {error && <span class="notice error">{error}</span>}
    </label>
  );
}
