import { useCallback, useRef, useState, type ReactNode } from 'react';
import { Button, Modal, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EditScope } from '../../../shared/protocol/calendar';

type Asking = { action: 'edit' | 'cancel' | 'respond'; scopes: readonly EditScope[] };

/**
 * Asks which occurrences of a recurring event a change is for (仅此日程 / 此日程及之后 / 所有日程);
 * `ask` resolves with the choice, or null when the user backs out.
 */
export function useScopeQuestion(): {
  ask: (action: Asking['action'], scopes?: readonly EditScope[]) => Promise<EditScope | null>;
  dialog: ReactNode;
} {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<Asking | null>(null);
  const resolver = useRef<((scope: EditScope | null) => void) | null>(null);

  const ask = useCallback(
    (action: Asking['action'], scopes: readonly EditScope[] = ['this', 'following', 'all']) =>
      new Promise<EditScope | null>((resolve) => {
        resolver.current?.(null);
        resolver.current = resolve;
        setAsking({ action, scopes });
      }),
    [],
  );
  const answer = (scope: EditScope | null) => {
    resolver.current?.(scope);
    resolver.current = null;
    setAsking(null);
  };

  const dialog = (
    <Modal
      open={asking !== null}
      title={asking ? t(`calendar.scope.title.${asking.action}`) : ''}
      onCancel={() => answer(null)}
      footer={null}
      width={420}
      destroyOnHidden
    >
      <p className="cal-hint">{t('calendar.scope.hint')}</p>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {asking?.scopes.map((scope) => (
          <Button key={scope} block onClick={() => answer(scope)}>
            {t(`calendar.scope.${scope}`)}
          </Button>
        ))}
        <Button block type="text" onClick={() => answer(null)}>
          {t('common.cancel')}
        </Button>
      </Space>
    </Modal>
  );
  return { ask, dialog };
}
