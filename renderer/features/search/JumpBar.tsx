import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import './search.css';

/** Shown while a chat is open at a search hit: one click back to the newest messages. */
export function JumpBar(props: { onExit: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="jump-bar" data-testid="jump-bar">
      <span>{t('search.viewingContext')}</span>
      <Button size="small" type="link" onClick={props.onExit}>
        {t('search.backToLatest')}
      </Button>
    </div>
  );
}
