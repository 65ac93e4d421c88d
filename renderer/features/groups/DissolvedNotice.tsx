import { useTranslation } from 'react-i18next';
import './groups.css';

/** In place of the composer once the owner dissolved the group: nobody can write any more. */
export function DissolvedNotice() {
  const { t } = useTranslation();
  return (
    <div className="composer-blocked" data-testid="group-dissolved">
      {t('group.composer.dissolved')}
    </div>
  );
}
