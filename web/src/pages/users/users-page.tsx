import { ExclamationCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Dropdown,
  Input,
  Modal,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { TemporaryPassword, UserView } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { isSeparatedAdminRole } from '../../labels.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { formatDateTime, formatMinute } from '../../time.ts';
import { type Loaded, useLoader } from '../../use-loader.ts';
import { UserFormModal } from './user-form-modal.tsx';

function StatusTags({ user }: { user: UserView }) {
  const tags = [];
  if (user.disabled) {
    tags.push(
      <Tag color="red" key="disabled">
        已锁定
      </Tag>,
    );
  } else if (user.lockedUntil) {
    tags.push(
      <Tooltip key="throttled" title={`连续登录失败，锁定至 ${formatMinute(user.lockedUntil)}`}>
        <Tag color="orange">登录锁定中</Tag>
      </Tooltip>,
    );
  } else {
    tags.push(
      <Tag color="green" key="ok">
        正常
      </Tag>,
    );
  }
  if (user.mustChangePassword) tags.push(<Tag key="password">待修改密码</Tag>);
  return (
    <Space size={2} wrap>
      {tags}
    </Space>
  );
}

function scopeText(user: UserView, regionName: (code: string) => string): string {
  if (user.role === 'province_admin') return '全省';
  if (user.role === 'expert') {
    return user.expertEtownCodes.length ? user.expertEtownCodes.map(regionName).join('、') : '未分配';
  }
  if (user.scopeRegionName) return user.scopeRegionName;
  if (['auditor', 'security_admin', 'system_admin'].includes(user.role)) return '无业务数据';
  return '未分配';
}

type RunAction = (title: string, content: string, request: () => Promise<UserView>, success: string) => void;

type UserActionsProps = {
  user: UserView;
  self: boolean;
  onEdit: (user: UserView) => void;
  onResetPassword: (user: UserView) => void;
  runAction: RunAction;
};

function UserActions({ user, self, onEdit, onResetPassword, runAction }: UserActionsProps) {
  const onMenuClick = (key: string) => {
    if (key === 'reset-password') onResetPassword(user);
    if (key === 'lock') {
      runAction(
        `锁定 ${user.displayName}（${user.username}）？`,
        '锁定后该账号不能登录，已登录的会话随即失效。',
        () =>
          unwrap(
            apiClient.POST('/api/users/{id}/lock', {
              params: { path: { id: user.id } },
            }),
          ),
        '账号已锁定',
      );
    }
    if (key === 'unlock') {
      runAction(
        `解锁 ${user.displayName}（${user.username}）？`,
        '同时解除因连续登录失败造成的锁定。',
        () =>
          unwrap(
            apiClient.POST('/api/users/{id}/unlock', {
              params: { path: { id: user.id } },
            }),
          ),
        '账号已解锁',
      );
    }
    if (key === 'reset-totp') {
      runAction(
        `重置 ${user.displayName} 的动态口令？`,
        '用户下次登录时须重新绑定动态口令。',
        () =>
          unwrap(
            apiClient.POST('/api/users/{id}/reset-totp', {
              params: { path: { id: user.id } },
            }),
          ),
        '动态口令已重置',
      );
    }
  };
  return (
    <Space size={0}>
      <Button type="link" size="small" onClick={() => onEdit(user)}>
        编辑
      </Button>
      <Dropdown
        menu={{
          items: [
            {
              key: 'reset-password',
              label: '重置密码',
              // 三员账号的密码只能在服务器上重置，平台内的管理员不得获知。
              disabled: isSeparatedAdminRole(user.role),
            },
            user.disabled || user.lockedUntil
              ? { key: 'unlock', label: '解锁' }
              : { key: 'lock', label: '锁定', danger: true, disabled: self },
            { key: 'reset-totp', label: '重置动态口令', disabled: !user.totpEnabled },
          ],
          onClick: ({ key }) => onMenuClick(key),
        }}
      >
        <Button type="link" size="small" data-testid={`user-more-${user.username}`}>
          更多
        </Button>
      </Dropdown>
    </Space>
  );
}

type UserColumnOptions = Omit<UserActionsProps, 'user' | 'self'> & {
  meId: string;
  regionName: (code: string) => string;
};

function userColumns({ meId, regionName, ...actions }: UserColumnOptions): TableColumnsType<UserView> {
  return [
    {
      title: '用户名',
      dataIndex: 'username',
      render: (username: string, user) => (
        <Space size={4}>
          <span>{username}</span>
          {user.isDemo && <Tag color="gold">演示</Tag>}
        </Space>
      ),
    },
    { title: '姓名', dataIndex: 'displayName', width: 170 },
    { title: '角色', dataIndex: 'roleLabel' },
    {
      title: '数据范围',
      key: 'scope',
      width: 130,
      render: (_v, user) => scopeText(user, regionName),
    },
    { title: '状态', key: 'status', width: 170, render: (_v, user) => <StatusTags user={user} /> },
    {
      title: '动态口令',
      dataIndex: 'totpEnabled',
      width: 90,
      render: (enabled: boolean) => (enabled ? <Tag color="blue">已绑定</Tag> : <Tag>未绑定</Tag>),
    },
    {
      title: '最近登录',
      dataIndex: 'lastLoginAt',
      width: 170,
      render: (value: string | null) => formatDateTime(value),
    },
    {
      title: '操作',
      key: 'actions',
      fixed: 'right',
      width: 150,
      render: (_v, user) => <UserActions user={user} self={user.id === meId} {...actions} />,
    },
  ];
}

type IssuedPassword = TemporaryPassword & { reason: string };

function TemporaryPasswordModal({ issued, onClose }: { issued: IssuedPassword | null; onClose: () => void }) {
  return (
    <Modal
      open={issued !== null}
      title={issued?.reason}
      onCancel={onClose}
      onOk={onClose}
      okText="我已记下"
      cancelButtonProps={{ style: { display: 'none' } }}
      mask={{ closable: false }}
      data-testid="temporary-password-modal"
    >
      {issued && (
        <>
          <Typography.Paragraph>
            {issued.user.displayName}（{issued.user.username}）的临时密码：
          </Typography.Paragraph>
          <Typography.Paragraph
            copyable={{ text: issued.temporaryPassword, tooltips: ['复制', '已复制'] }}
            code
            style={{ fontSize: 18 }}
            data-testid="temporary-password"
          >
            {issued.temporaryPassword}
          </Typography.Paragraph>
          <Alert
            type="warning"
            showIcon
            title="临时密码只显示这一次，关闭后无法再查看。请当面或通过安全渠道交给用户，首次登录须修改密码。"
          />
        </>
      )}
    </Modal>
  );
}

/** The confirmations and requests behind the table's actions; each answer replaces its row. */
function useUserMutations(users: Loaded<UserView[]>, setIssued: (issued: IssuedPassword) => void) {
  const { message, modal } = App.useApp();
  const replaceUser = (updated: UserView) =>
    users.setData((users.data ?? []).map((user) => (user.id === updated.id ? updated : user)));

  const runAction = (title: string, content: string, request: () => Promise<UserView>, success: string) => {
    modal.confirm({
      title,
      content,
      icon: <ExclamationCircleOutlined />,
      okText: '确定',
      cancelText: '取消',
      onOk: async () => {
        try {
          replaceUser(await request());
          message.success(success);
        } catch (failure) {
          message.error(errorMessage(failure));
        }
      },
    });
  };

  const resetPassword = (user: UserView) => {
    modal.confirm({
      title: `重置 ${user.displayName}（${user.username}）的密码？`,
      content: '将生成一次性临时密码，用户下次登录须修改密码。原密码立即失效。',
      okText: '重置',
      cancelText: '取消',
      onOk: async () => {
        try {
          const result = await unwrap(
            apiClient.POST('/api/users/{id}/reset-password', { params: { path: { id: user.id } } }),
          );
          replaceUser(result.user);
          setIssued({ ...result, reason: '密码已重置' });
        } catch (failure) {
          message.error(errorMessage(failure));
        }
      },
    });
  };
  return { replaceUser, runAction, resetPassword };
}

export function UsersPage() {
  const me = useMe();
  const { byCode } = useRegions();
  const regionName = (code: string) => byCode.get(code)?.name ?? code;
  const users = useLoader(() => unwrap(apiClient.GET('/api/users')), 'users');
  const [keyword, setKeyword] = useState('');
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<UserView | null>(null);
  const [issued, setIssued] = useState<IssuedPassword | null>(null);

  const rows = useMemo(() => {
    const text = keyword.trim().toLowerCase();
    return (users.data ?? []).filter(
      (user) =>
        !text ||
        user.username.includes(text) ||
        user.displayName.toLowerCase().includes(text) ||
        user.roleLabel.includes(text) ||
        (user.scopeRegionName ?? '').includes(text),
    );
  }, [users.data, keyword]);

  const { replaceUser, runAction, resetPassword } = useUserMutations(users, setIssued);

  return (
    <>
      <PageHeader
        title="用户管理"
        crumbs={[{ title: '用户管理' }]}
        subtitle="三员分立：安全管理员负责账号、角色与数据范围，不能查看业务数据和审计日志。"
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(null);
              setFormOpen(true);
            }}
            data-testid="create-user"
          >
            新建用户
          </Button>
        }
      />
      <Card>
        <Input.Search
          placeholder="按用户名、姓名、角色或范围筛选"
          allowClear
          onChange={(event) => setKeyword(event.target.value)}
          style={{ width: 320, marginBottom: 12 }}
        />
        {users.error ? (
          <ErrorState message={users.error} onRetry={users.reload} />
        ) : (
          <Table
            rowKey="id"
            loading={users.loading}
            dataSource={rows}
            data-testid="users-table"
            pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => `共 ${total} 个账号` }}
            scroll={{ x: 1200 }}
            columns={userColumns({
              meId: me.id,
              regionName,
              onEdit: (user) => {
                setEditing(user);
                setFormOpen(true);
              },
              onResetPassword: resetPassword,
              runAction,
            })}
          />
        )}
      </Card>
      <UserFormModal
        open={formOpen}
        user={editing}
        onClose={() => setFormOpen(false)}
        onUpdated={replaceUser}
        onStale={(current) => {
          replaceUser(current);
          setEditing(current);
        }}
        onCreated={(result) => {
          users.setData([...(users.data ?? []), result.user]);
          setIssued({ ...result, reason: '账号已创建' });
        }}
      />
      <TemporaryPasswordModal issued={issued} onClose={() => setIssued(null)} />
    </>
  );
}
