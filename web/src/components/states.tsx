import { Alert, Button, Empty, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export function LoadingState({ tip = '正在加载…' }: { tip?: string }) {
  return (
    <div className="state-box" data-testid="loading-state">
      <Spin size="large" />
      <div className="state-tip">{tip}</div>
    </div>
  );
}

/** What a user sees for anything outside their scope: the server answers 404, so it simply does not exist. */
export function NotFoundState({
  what = '页面',
  backTo,
  backLabel,
}: {
  what?: string;
  backTo?: string;
  backLabel?: string;
}) {
  return (
    <Result
      status="404"
      title={`${what}不存在`}
      subTitle="该内容不存在，或不在您的数据范围内。"
      data-testid="not-found"
      extra={
        backTo && (
          <Link to={backTo}>
            <Button type="primary">{backLabel ?? '返回'}</Button>
          </Link>
        )
      }
    />
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <Alert
      type="error"
      showIcon
      title="加载失败"
      description={message}
      data-testid="error-state"
      action={
        onRetry && (
          <Button size="small" onClick={onRetry}>
            重试
          </Button>
        )
      }
    />
  );
}

export function EmptyState({ description, children }: { description: string; children?: ReactNode }) {
  return (
    <Empty description={description} data-testid="empty-state">
      {children}
    </Empty>
  );
}
