import { DeleteOutlined } from '@ant-design/icons';
import { App, Button, type ButtonProps, Popconfirm } from 'antd';
import { useState } from 'react';
import type { Finding } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { useRegions } from '../../region-context.tsx';
import { useLoader } from '../../use-loader.ts';

/**
 * What a modal form works on, with a key that is new at every opening: the form is built afresh from
 * that target's values even when it reopens while the last one is still fading out.
 */
export function useModalTarget<T>() {
  const [state, setState] = useState<{ target: T | null; opening: number }>({ target: null, opening: 0 });
  return {
    target: state.target,
    key: state.opening,
    open: (target: T) => setState((previous) => ({ target, opening: previous.opening + 1 })),
    close: () => setState((previous) => ({ ...previous, target: null })),
  };
}

/** Overdue findings are tinted red on every cell, since fixed and hovered cells paint their own background. */
export const overdueTint = (finding: Finding) => ({
  style: finding.overdue ? { background: '#fff1f0' } : undefined,
});

/** The address of one inspection's page. */
export const inspectionPath = (id: string) => `/supervision/inspections/${id}`;

export type EtownOption = { value: string; label: string };

/** A delete button behind a confirmation that names what goes; the server's refusal shows as a message. */
export function DeleteButton({
  title,
  description,
  remove,
  testId,
  onDeleted,
}: {
  title: string;
  description: string;
  remove: () => Promise<unknown>;
  testId: string;
  onDeleted: () => void;
}) {
  const { message } = App.useApp();
  return (
    <Popconfirm
      title={title}
      description={description}
      okText="删除"
      okButtonProps={{ danger: true, 'data-testid': `${testId}-confirm` } as ButtonProps}
      cancelText="取消"
      onConfirm={() =>
        remove()
          .then(() => {
            message.success('已删除');
            onDeleted();
          })
          .catch((failure) => message.error(errorMessage(failure)))
      }
    >
      <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={testId}>
        删除
      </Button>
    </Popconfirm>
  );
}

/**
 * Loads a list for the region chosen in the header once the regions are known; `load` receives that
 * region's code (undefined: everything the user may see).
 */
export function useRegionList<T>(load: (regionCode: string | undefined) => Promise<T>) {
  const { currentCode, loading: regionsLoading } = useRegions();
  const list = useLoader(
    regionsLoading ? null : () => load(currentCode ?? undefined),
    `${currentCode}|${regionsLoading}`,
  );
  return { ...list, loading: list.loading || regionsLoading };
}
