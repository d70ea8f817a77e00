import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { passwordPolicyText, passwordProblems } from '../../../../src/modules/accounts/account-rules.ts';
import { publicApiClient, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api.ts';
import { homePath } from '../../permissions.ts';
import { useMe, useSession } from '../../session.tsx';

type PasswordForm = { currentPassword: string; newPassword: string; confirmPassword: string };

export function ChangePasswordPage() {
  const me = useMe();
  const { setMe, logout } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<PasswordForm>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (values: PasswordForm) => {
    setSubmitting(true);
    setError(null);
    try {
      // This page is where an owed password change is made, so the session provider is not told.
      const body = { currentPassword: values.currentPassword, newPassword: values.newPassword };
      const updated = await unwrap(publicApiClient.POST('/api/auth/password', { body }));
      setMe(updated);
      navigate(updated.totpEnrollmentRequired ? '/setup/totp' : homePath(updated.role), { replace: true });
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="setup-page">
      <Card className="setup-card" data-testid="change-password">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          修改密码
        </Typography.Title>
        {me.mustChangePassword ? (
          <Alert
            type="warning"
            showIcon
            title="首次登录或密码已被重置，请先设置新密码后再使用平台。"
            style={{ marginBottom: 16 }}
          />
        ) : null}
        <Typography.Paragraph type="secondary">
          账号：{me.username}（{me.displayName}）
        </Typography.Paragraph>
        <Alert type="info" title="密码要求" description={passwordPolicyText} style={{ marginBottom: 16 }} />
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="currentPassword"
            label="当前密码（或临时密码）"
            rules={[{ required: true, message: '请输入当前密码' }]}
          >
            <Input.Password autoComplete="current-password" data-testid="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label="新密码"
            rules={[
              { required: true, message: '请输入新密码' },
              {
                validator: async (_rule, value: string | undefined) => {
                  const problems = passwordProblems(value ?? '', me.username);
                  if (problems.length) throw new Error(problems.join('；'));
                },
              },
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="new-password" />
          </Form.Item>
          <Form.Item
            name="confirmPassword"
            label="确认新密码"
            dependencies={['newPassword']}
            rules={[
              { required: true, message: '请再次输入新密码' },
              ({ getFieldValue }) => ({
                validator: async (_rule, value: string | undefined) => {
                  if (value && value !== getFieldValue('newPassword'))
                    throw new Error('两次输入的新密码不一致');
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="confirm-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={submitting} data-testid="change-password-submit">
            保存新密码
          </Button>
          {me.mustChangePassword ? (
            <Button type="link" onClick={() => void logout()}>
              退出登录
            </Button>
          ) : (
            <Button type="link" onClick={() => navigate(-1)}>
              返回
            </Button>
          )}
        </Form>
      </Card>
    </div>
  );
}
