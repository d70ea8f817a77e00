import { Alert, Button, Card, Flex, Form, Input, Result, Steps, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { AnswerOf } from '../../api/client.ts';
import { publicApiClient, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api.ts';
import { LoadingState } from '../../components/states.tsx';
import { homePath } from '../../permissions.ts';
import { useMe, useSession } from '../../session.tsx';

type Enrollment = AnswerOf<'/api/auth/totp/setup', 'post'>;

export function TotpEnrollmentPage() {
  const me = useMe();
  const { setMe, logout } = useSession();
  const navigate = useNavigate();
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const alreadyBound = me.totpEnabled && !me.totpEnrollmentRequired;

  const start = useCallback(async () => {
    setLoadError(null);
    try {
      // The setup pages handle an owed step themselves, so the session provider is not told.
      setEnrollment(await unwrap(publicApiClient.POST('/api/auth/totp/setup')));
    } catch (failure) {
      setLoadError(errorMessage(failure));
    }
  }, []);

  useEffect(() => {
    if (me.mustChangePassword) {
      navigate('/setup/password', { replace: true });
      return;
    }
    if (!alreadyBound) void start();
  }, [alreadyBound, me.mustChangePassword, navigate, start]);

  const enable = async ({ code }: { code: string }) => {
    setSubmitting(true);
    setError(null);
    try {
      const updated = await unwrap(
        publicApiClient.POST('/api/auth/totp/enable', { body: { code: code.trim() } }),
      );
      setMe(updated);
      navigate(homePath(updated.role), { replace: true });
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setSubmitting(false);
    }
  };

  if (alreadyBound) {
    return (
      <div className="setup-page">
        <Card className="setup-card">
          <Result
            status="success"
            title="已绑定动态口令"
            extra={
              <Button type="primary" onClick={() => navigate(homePath(me.role))}>
                进入平台
              </Button>
            }
          />
        </Card>
      </div>
    );
  }

  return (
    <div className="setup-page">
      <Card className="setup-card" data-testid="totp-enrollment">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          绑定动态口令（双因素认证）
        </Typography.Title>
        {me.totpEnrollmentRequired ? (
          <Alert
            type="warning"
            showIcon
            title="管理员账号须绑定动态口令后才能使用平台。"
            style={{ marginBottom: 16 }}
          />
        ) : (
          <Alert
            type="info"
            showIcon
            title="绑定后，每次登录除密码外还须输入验证器中的动态口令。"
            style={{ marginBottom: 16 }}
          />
        )}
        <Steps
          orientation="vertical"
          size="small"
          current={enrollment ? 1 : 0}
          items={[
            {
              title: '安装验证器',
              content:
                '在手机上安装支持 TOTP 的验证器应用（如 Microsoft Authenticator、Google 身份验证器、FreeOTP）。',
            },
            {
              title: '扫描二维码',
              content: (
                <SecretStep enrollment={enrollment} loadError={loadError} onRetry={() => void start()} />
              ),
            },
            {
              title: '输入动态口令确认',
              content: <CodeForm onFinish={enable} submitting={submitting} disabled={!enrollment} />,
            },
          ]}
        />
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} />}
        {me.totpEnrollmentRequired ? (
          <Button type="link" onClick={() => void logout()} style={{ marginTop: 8, paddingLeft: 0 }}>
            退出登录
          </Button>
        ) : (
          <Button type="link" onClick={() => navigate(-1)} style={{ marginTop: 8, paddingLeft: 0 }}>
            返回
          </Button>
        )}
      </Card>
    </div>
  );
}

type SecretStepProps = { enrollment: Enrollment | null; loadError: string | null; onRetry: () => void };

function SecretStep({ enrollment, loadError, onRetry }: SecretStepProps) {
  if (enrollment) {
    return (
      <Flex gap={20} align="center" wrap style={{ margin: '8px 0' }}>
        <img
          src={enrollment.qrCodeDataUrl}
          alt="动态口令二维码"
          width={180}
          height={180}
          data-testid="totp-qr"
          style={{ border: '1px solid #e4e9e7', borderRadius: 6 }}
        />
        <div>
          <Typography.Text type="secondary">无法扫码时，手动输入密钥：</Typography.Text>
          <Typography.Paragraph copyable={{ text: enrollment.secret }} code data-testid="totp-secret">
            {enrollment.secret.replace(/(.{4})/g, '$1 ').trim()}
          </Typography.Paragraph>
        </div>
      </Flex>
    );
  }
  if (loadError) {
    return (
      <Alert
        type="error"
        title={loadError}
        action={
          <Button size="small" onClick={onRetry}>
            重试
          </Button>
        }
      />
    );
  }
  return <LoadingState tip="正在生成密钥…" />;
}

type CodeFormProps = {
  onFinish: (values: { code: string }) => Promise<void>;
  submitting: boolean;
  disabled: boolean;
};

function CodeForm({ onFinish, submitting, disabled }: CodeFormProps) {
  return (
    <Form layout="inline" onFinish={onFinish} style={{ marginTop: 8 }}>
      <Form.Item
        name="code"
        rules={[
          { required: true, message: '请输入动态口令' },
          { pattern: /^\d{6}$/, message: '动态口令为 6 位数字' },
        ]}
      >
        <Input
          placeholder="6 位数字"
          maxLength={6}
          inputMode="numeric"
          autoComplete="one-time-code"
          data-testid="totp-code"
          style={{ width: 160 }}
        />
      </Form.Item>
      <Button
        type="primary"
        htmlType="submit"
        loading={submitting}
        disabled={disabled}
        data-testid="totp-enable"
      >
        确认绑定
      </Button>
    </Form>
  );
}
