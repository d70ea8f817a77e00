import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { apiClient, unwrap } from '../api/client.ts';
import { useLoader } from '../use-loader.ts';

/** The in-app inbox: unread count on the bell, the latest notifications in a popover. */
export function NotificationBell() {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  // Refreshed when the user moves between pages, never on a timer: polling would keep an idle session alive.
  const { pathname } = useLocation();
  const inbox = useLoader(
    () => unwrap(apiClient.GET('/api/notifications', { params: { query: { limit: 20 } } })),
    pathname,
  );
  const { reload } = inbox;

  const markRead = async (id: string) => {
    await apiClient.POST('/api/notifications/{id}/read', { params: { path: { id } } }).catch(() => undefined);
    await reload();
  };

  const items = inbox.data?.items ?? [];
  return (
    <Popover
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) void reload();
      }}
      trigger="click"
      placement="bottomRight"
      title={
        <Typography.Text strong>
          通知
          {(inbox.data?.unreadCount ?? 0) > 0 && (
            <Typography.Link
              style={{ float: 'right', fontWeight: 'normal' }}
              onClick={async () => {
                await apiClient.POST('/api/notifications/read-all').catch(() => undefined);
                await reload();
              }}
              data-testid="notifications-read-all"
            >
              全部已读
            </Typography.Link>
          )}
        </Typography.Text>
      }
      content={
        <div style={{ width: 360, maxHeight: 420, overflow: 'auto' }} data-testid="notification-list">
          {items.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无通知" />
          ) : (
            <List
              size="small"
              dataSource={items}
              renderItem={(item) => (
                <List.Item
                  data-testid="notification-item"
                  style={{ cursor: 'pointer', opacity: item.read ? 0.6 : 1 }}
                  onClick={() => {
                    if (!item.read) void markRead(item.id);
                    if (item.evaluationId) {
                      setOpen(false);
                      navigate(`/evaluations/${item.evaluationId}`);
                    }
                  }}
                >
                  <List.Item.Meta
                    title={
                      <>
                        {!item.read && <Badge status="processing" />} {item.title}
                      </>
                    }
                    description={
                      <>
                        <div>{item.body}</div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {new Date(item.createdAt).toLocaleString('zh-CN')}
                        </Typography.Text>
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          )}
        </div>
      }
    >
      <Badge count={inbox.data?.unreadCount ?? 0} size="small" data-testid="notification-count">
        <Button type="text" icon={<BellOutlined />} aria-label="通知" data-testid="notification-bell" />
      </Badge>
    </Popover>
  );
}
