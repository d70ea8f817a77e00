import { Alert, App, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { usernamePattern, usernameRuleText } from '../../../../src/modules/accounts/account-rules.ts';
import { apiClient, unwrap } from '../../api/client.ts';
import type { Role, TemporaryPassword, UserView } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { STALE_RECORD_MESSAGE, staleRecord } from '../../components/form-modal.tsx';
import { RegionTreeSelect } from '../../components/region-tree-select.tsx';
import { isSeparatedAdminRole, levelLabels, roleLabels, roleOrder, scopeLevelByRole } from '../../labels.ts';
import { useRegions } from '../../region-context.tsx';

type UserForm = {
  username?: string;
  displayName: string;
  role: Role;
  scopeRegionCode?: string | null;
  expertEtownCodes?: string[];
};

type UserFormModalProps = {
  open: boolean;
  /** Editing this user; otherwise creating one. */
  user?: UserView | null;
  onClose: () => void;
  onCreated: (result: TemporaryPassword) => void;
  onUpdated: (user: UserView) => void;
  /** An edit of a version someone replaced meanwhile: the page edits `current`, the user as it is now. */
  onStale: (current: UserView) => void;
};

const scopeHints: Partial<Record<Role, string>> = {
  province_admin: '省级管理员的数据范围为全省。',
  auditor: '三员分立：审计管理员只能查看审计日志，无业务数据范围。',
  security_admin: '三员分立：安全管理员只管理账号与角色，无业务数据范围。',
  system_admin: '三员分立：系统管理员只管理系统设置，无业务数据范围。',
  county_statistics:
    '县统计局：与县级操作员一同审核本县月度统计（通过、退回、重新打开），只读本县统计数据与汇总。',
  county_finance: '县财政局：只读本县资金与项目；本县设置“拨付需县财政局审批”时，审批每期拨付。',
  county_discipline: '县纪委监委：只读本县全部业务数据及其审计记录，不能作任何修改。',
};

/** 三员分立: an admin account keeps its role; no other account becomes one of the three. */
const roleChoices = (current: Role | undefined): Role[] =>
  current && isSeparatedAdminRole(current)
    ? [current]
    : roleOrder.filter((role) => !isSeparatedAdminRole(role));

export function UserFormModal({ open, user, onClose, onCreated, onUpdated, onStale }: UserFormModalProps) {
  const [form] = Form.useForm<UserForm>();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();
  const role = Form.useWatch('role', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (user) {
      form.setFieldsValue({
        displayName: user.displayName,
        role: user.role,
        scopeRegionCode: user.scopeRegionCode,
        expertEtownCodes: user.expertEtownCodes,
      });
    }
  }, [open, user, form]);

  const save = async () => {
    const values = await form.validateFields();
    const level = scopeLevelByRole[values.role];
    const body = {
      displayName: values.displayName.trim(),
      role: values.role,
      scopeRegionCode: level ? (values.scopeRegionCode ?? null) : null,
      expertEtownCodes: values.role === 'expert' ? (values.expertEtownCodes ?? []) : [],
    };
    setSaving(true);
    try {
      if (user) {
        onUpdated(
          await unwrap(
            apiClient.PATCH('/api/users/{id}', {
              params: { path: { id: user.id } },
              body: { ...body, version: user.version },
            }),
          ),
        );
        message.success('用户信息已保存');
      } else {
        const username = values.username?.trim() ?? '';
        onCreated(await unwrap(apiClient.POST('/api/users', { body: { ...body, username } })));
      }
      onClose();
    } catch (failure) {
      const stale = staleRecord(failure);
      if (user && stale?.current) {
        message.warning(STALE_RECORD_MESSAGE);
        onStale(stale.current as UserView);
      } else message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={user ? `编辑用户：${user.username}` : '新建用户'}
      open={open}
      onCancel={onClose}
      onOk={() => void save()}
      okText={user ? '保存' : '创建'}
      okButtonProps={{ 'data-testid': 'user-form-submit' } as Record<string, string>}
      confirmLoading={saving}
      width={600}
      destroyOnHidden
      data-testid="user-form-modal"
    >
      <Form form={form} layout="vertical" preserve={false}>
        {!user && (
          <Form.Item
            name="username"
            label="用户名"
            extra="3–64 位小写字母、数字、点、下划线或连字符，如 county.yuanqu"
            rules={[
              { required: true, message: '请输入用户名' },
              { pattern: usernamePattern, message: usernameRuleText },
            ]}
          >
            <Input maxLength={64} data-testid="user-username" />
          </Form.Item>
        )}
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}
        >
          <Input maxLength={60} data-testid="user-display-name-input" />
        </Form.Item>
        <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
          <Select
            options={roleChoices(user?.role).map((value) => ({ value, label: roleLabels[value] }))}
            disabled={!!user && isSeparatedAdminRole(user.role)}
            placeholder="选择角色"
            data-testid="user-role-select"
          />
        </Form.Item>
        {!user && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            三员账号（审计管理员、安全管理员、系统管理员）只能由服务器管理员用 ezhen user create 创建。
          </Typography.Paragraph>
        )}
        <ScopeFields role={role} />
      </Form>
    </Modal>
  );
}

/** The role's hint and the fields its data scope needs: a region, or the e-towns an expert reviews. */
function ScopeFields({ role }: { role: Role | undefined }) {
  const { roots, byCode } = useRegions();
  const scopeLevel = role ? scopeLevelByRole[role] : undefined;
  const etownOptions = useMemo(
    () =>
      [...byCode.values()]
        .filter((region) => region.level === 'etown')
        .map((region) => ({
          value: region.code,
          label: `${region.path
            .slice(1, -1)
            .map((step) => step.name)
            .join(' · ')} · ${region.name}`,
        })),
    [byCode],
  );

  return (
    <>
      {role && scopeHints[role] && (
        <Alert type="info" showIcon title={scopeHints[role]} style={{ marginBottom: 16 }} />
      )}
      {scopeLevel && (
        <Form.Item
          name="scopeRegionCode"
          label={`数据范围（${levelLabels[scopeLevel]}级）`}
          rules={[{ required: true, message: `请选择${levelLabels[scopeLevel]}级区划` }]}
        >
          <RegionTreeSelect
            roots={roots}
            selectable={[scopeLevel]}
            maxLevel={scopeLevel}
            placeholder="选择区划"
            testId="user-scope-select"
          />
        </Form.Item>
      )}
      {role === 'expert' && (
        <Form.Item
          name="expertEtownCodes"
          label="负责评审的e镇"
          rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个e镇' }]}
        >
          <Select
            mode="multiple"
            options={etownOptions}
            placeholder="选择e镇"
            showSearch={{ optionFilterProp: 'label' }}
            maxTagCount="responsive"
          />
        </Form.Item>
      )}
    </>
  );
}
