import { Button } from 'antd';
import { CloseOutlined, DeleteOutlined, ShareAltOutlined, StarOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** 多选's bottom bar, in place of the composer: 逐条转发 · 合并转发 · 收藏 · 删除. */
export function SelectionBar(props: {
  count: number;
  onForward: (merged: boolean) => void;
  onFavorite: () => void;
  onDelete: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const none = props.count === 0;
  return (
    <div className="selection-bar" data-testid="selection-bar">
      <span className="selection-count">{t('chat.select.count', { count: props.count })}</span>
      <Button icon={<ShareAltOutlined />} disabled={none} onClick={() => props.onForward(false)}>
        {t('chat.select.forwardEach')}
      </Button>
      <Button icon={<ShareAltOutlined />} disabled={none} onClick={() => props.onForward(true)}>
        {t('chat.select.forwardMerged')}
      </Button>
      <Button icon={<StarOutlined />} disabled={none} onClick={props.onFavorite}>
        {t('chat.select.favorite')}
      </Button>
      <Button icon={<DeleteOutlined />} danger disabled={none} onClick={props.onDelete}>
        {t('chat.select.delete')}
      </Button>
      <Button icon={<CloseOutlined />} type="text" onClick={props.onCancel} aria-label={t('chat.select.cancel')}>
        {t('chat.select.cancel')}
      </Button>
    </div>
  );
}
