import { CopyOutlined, UserAddOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { CreatedInvitation, EntityDetail, InvitationStatus, InvitationView } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { ErrorState } from '../../components/states.tsx';
import { dayjs, displayTimeZone, formatMinute } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';

const statusTags: Record<InvitationStatus, { label: string; color: string }> = {
  pending: { label: '待接受', color: 'processing' },
  accepted: { label: '已接受', color: 'success' },
  revoked: { label: '已撤销', color: 'default' },
  expired: { label: '已过期', color: 'warning' },
};

const shortTime = (value: string | null) =>
  value ? dayjs(value).tz(displayTimeZone).format('YYYY-MM-DD HH:mm') : '—';

/** The full address of a link the server gives as a path. */
const absolute = (path: string) => `${window.location.origin}${path}`;

function InviteModal({
  entity,
  open,
  onClose,
  onCreated,
}: {
  entity: EntityDetail;
  open: boolean;
  onClose: () => void;
  onCreated: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ inviteeName: string }>();
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  const submit = async () => {
    // A refused form shows its messages on the fields; nothing else to do.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    try {
      const result = await unwrap(
        apiClient.POST('/api/entities/{id}/invitations', {
          params: { path: { id: entity.id } },
          body: { inviteeName: values.inviteeName.trim() },
        }),
      );
      setCreated(result);
      onCreated();
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };
  const copy = async (link: string) => {
    try {
      await navigator.clipboard.writeText(link);
      message.success('已复制邀请链接');
    } catch {
      message.warning('无法自动复制，请选中链接后手动复制');
    }
  };
  const link = created ? absolute(created.link) : '';
  return (
    <Modal
      title="邀请企业开通账号"
      open={open}
      onCancel={close}
      destroyOnHidden
      data-testid="invite-modal"
      footer={
        created ? (
          <Button type="primary" onClick={close} data-testid="invite-done">
            我已复制，关闭
          </Button>
        ) : (
          <Space>
            <Button onClick={close}>取消</Button>
            <Button type="primary" loading={saving} onClick={() => void submit()} data-testid="invite-create">
              生成邀请链接
            </Button>
          </Space>
        )
      }
    >
      {created ? (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Alert
            type="warning"
            showIcon
            title="邀请链接只显示这一次"
            description="请立即复制，通过微信或短信发给被邀请人本人。链接 7 天内有效，开通一个账号后即失效；关闭后无法再次查看，如遗失请撤销后重新邀请。"
          />
          <Typography.Text>
            被邀请人：<Typography.Text strong>{created.invitation.inviteeName}</Typography.Text>
            ，有效期至 {formatMinute(created.invitation.expiresAt)}
          </Typography.Text>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              readOnly
              value={link}
              data-testid="invite-link"
              onFocus={(event) => event.target.select()}
            />
            <Button icon={<CopyOutlined />} onClick={() => void copy(link)} data-testid="invite-copy">
              复制链接
            </Button>
          </Space.Compact>
        </Space>
      ) : (
        <Form form={form} layout="vertical" preserve={false}>
          <Typography.Paragraph type="secondary">
            为“{entity.name}
            ”生成一次性邀请链接。被邀请人打开链接后自行设置用户名和密码，账号只能查看和填报本企业的数据。
          </Typography.Paragraph>
          <Form.Item
            name="inviteeName"
            label="被邀请人姓名"
            rules={[{ required: true, whitespace: true, message: '请填写被邀请人姓名' }]}
            extra="用于在邀请页面称呼对方，如企业负责人或统计填报员"
          >
            <Input maxLength={60} data-testid="invitee-name" autoFocus />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

/** The columns every reader sees; the revoke action is added for those who may invite. */
const invitationColumns: TableColumnsType<InvitationView> = [
  {
    title: '被邀请人',
    dataIndex: 'inviteeName',
    width: 110,
    onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
    render: (name: string, invitation) => (
      <Space orientation="vertical" size={0}>
        <span>{name}</span>
        {invitation.acceptedUser && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            账号 {invitation.acceptedUser.username}（{invitation.acceptedUser.displayName}）
          </Typography.Text>
        )}
      </Space>
    ),
  },
  {
    title: '状态',
    dataIndex: 'status',
    width: 80,
    render: (status: InvitationStatus) => (
      <Tag color={statusTags[status].color} data-testid={`invitation-status-${status}`}>
        {statusTags[status].label}
      </Tag>
    ),
  },
  {
    title: '时间',
    key: 'when',
    render: (_: unknown, invitation) => (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {invitation.invitedByName}
        <br />
        {shortTime(invitation.createdAt)} 邀请
        <br />
        {invitation.status === 'accepted'
          ? `${shortTime(invitation.acceptedAt)} 开通`
          : invitation.status === 'revoked'
            ? `${shortTime(invitation.revokedAt)} 撤销`
            : `${shortTime(invitation.expiresAt)} 到期`}
      </Typography.Text>
    ),
  },
];

/**
 * 企业账号: the county invites the entity's staff to open their own accounts and follows the invitations;
 * a reader who may not invite (县纪委监委) sees the invitations only.
 */
export function EnterpriseAccountsCard({ entity, writable }: { entity: EntityDetail; writable: boolean }) {
  const { message } = App.useApp();
  const invitations = useLoader(
    () => unwrap(apiClient.GET('/api/entities/{id}/invitations', { params: { path: { id: entity.id } } })),
    entity.id,
  );
  const [inviting, setInviting] = useState(false);
  const revoke = async (invitation: InvitationView) => {
    try {
      await apiClient.POST('/api/entities/{id}/invitations/{invitationId}/revoke', {
        params: { path: { id: entity.id, invitationId: invitation.id } },
      });
      message.success(`已撤销对 ${invitation.inviteeName} 的邀请，链接已失效`);
      await invitations.reload();
    } catch (failure) {
      message.error(errorMessage(failure));
    }
  };
  return (
    <Card
      title="企业账号"
      data-testid="enterprise-accounts-card"
      extra={
        writable &&
        entity.status === 'active' && (
          <Button
            size="small"
            icon={<UserAddOutlined />}
            onClick={() => setInviting(true)}
            data-testid="invite-enterprise"
          >
            邀请企业开通账号
          </Button>
        )
      }
    >
      {invitations.error && !invitations.data ? (
        <ErrorState message={invitations.error} onRetry={invitations.reload} />
      ) : (
        <Table<InvitationView>
          rowKey="id"
          size="small"
          pagination={false}
          loading={invitations.loading}
          dataSource={invitations.data ?? []}
          locale={{ emptyText: '尚未邀请。企业可凭邀请链接自行开通账号，填报本企业的月度统计。' }}
          data-testid="invitation-table"
          columns={[
            ...invitationColumns,
            {
              title: '',
              key: 'actions',
              width: 60,
              render: (_: unknown, invitation) =>
                writable && (invitation.status === 'pending' || invitation.status === 'expired') ? (
                  <Popconfirm
                    title={`撤销对 ${invitation.inviteeName} 的邀请？`}
                    description="撤销后链接立即失效。"
                    okText="撤销"
                    okButtonProps={{ danger: true }}
                    onConfirm={() => revoke(invitation)}
                  >
                    <Button size="small" type="link" danger data-testid="invitation-revoke">
                      撤销
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      )}
      <InviteModal
        entity={entity}
        open={inviting}
        onClose={() => setInviting(false)}
        onCreated={() => void invitations.reload()}
      />
    </Card>
  );
}
