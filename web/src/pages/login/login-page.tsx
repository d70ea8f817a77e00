import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { publicApiClient, unwrap } from '../../api/client.ts';
import { ApiError, errorMessage } from '../../api.ts';
import { homePath } from '../../permissions.ts';
import { type LoginLocationState, useSession } from '../../session.tsx';
import { formatMinute } from '../../time.ts';

type LoginForm = { username: string; password: string; totp?: string };

function describeLoginError(error: unknown): string {
  if (!(error instanceof ApiError)) return errorMessage(error);
  if (error.code === 'invalid_credentials') return '用户名或密码错误';
  if (error.code === 'account_locked') {
    const lockedUntil = (error.details as { lockedUntil?: string } | undefined)?.lockedUntil;
    return lockedUntil ? `${error.message}（锁定至 ${formatMinute(lockedUntil)}）` : error.message;
  }
  return error.message;
}

export function LoginPage() {
  const { me, setMe, timedOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as LoginLocationState;
  const [form] = Form.useForm<LoginForm>();
  const [totpRequired, setTotpRequired] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState('');

  useEffect(() => {
    unwrap(publicApiClient.GET('/api/public/settings'))
      .then((settings) => setNotice(settings.loginNotice.trim()))
      .catch(() => setNotice(''));
  }, []);

  if (me && !submitting) return <Navigate to={homePath(me.role)} replace />;

  const submit = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      const body = {
        username: values.username.trim(),
        password: values.password,
        totp: values.totp?.trim() || undefined,
      };
      const signedIn = await unwrap(publicApiClient.POST('/api/auth/login', { body }));
      setMe(signedIn);
      if (signedIn.mustChangePassword) navigate('/setup/password', { replace: true });
      else if (signedIn.totpEnrollmentRequired) navigate('/setup/totp', { replace: true });
      else
        navigate(state.from && state.from !== '/' ? state.from : homePath(signedIn.role), { replace: true });
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'totp_required') {
        setTotpRequired(true);
        setError(null);
      } else {
        if (failure instanceof ApiError && failure.code === 'totp_invalid') form.setFieldValue('totp', '');
        setError(describeLoginError(failure));
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="login-page">
      <Card className="login-card" data-testid="login-card">
        <LoginBrand />
        <LoginAlerts notice={notice} stateNotice={state.notice} timedOut={timedOut} error={error} />
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          requiredMark={false}
          size="large"
          initialValues={{ username: state.username }}
        >
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input
              prefix={<UserOutlined />}
              autoComplete="username"
              placeholder="用户名"
              data-testid="login-username"
              disabled={totpRequired}
            />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              placeholder="密码"
              data-testid="login-password"
              disabled={totpRequired}
            />
          </Form.Item>
          {totpRequired && <TotpField />}
          <Form.Item style={{ marginBottom: 8 }}>
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
              登录
            </Button>
          </Form.Item>
          {totpRequired && (
            <Button
              type="link"
              block
              onClick={() => {
                setTotpRequired(false);
                form.setFieldValue('totp', '');
              }}
            >
              更换账号
            </Button>
          )}
        </Form>
        <Typography.Paragraph
          type="secondary"
          style={{ fontSize: 12, textAlign: 'center', margin: '12px 0 0' }}
        >
          连续 5 次登录失败将锁定 30 分钟。请妥善保管账号，勿在公共电脑保存密码。
        </Typography.Paragraph>
      </Card>
    </div>
  );
}

function LoginBrand() {
  return (
    <div className="login-title">
      <span className="app-brand-mark" style={{ width: 44, height: 44, fontSize: 26 }}>
        e
      </span>
      <Typography.Title level={2} style={{ margin: '12px 0 0' }}>
        e镇通
      </Typography.Title>
      <Typography.Title level={5} style={{ margin: '4px 0 6px', fontWeight: 500 }}>
        山西省乡村e镇管理平台
      </Typography.Title>
      <Typography.Text type="secondary">省统筹 · 市负总责 · 县抓落实</Typography.Text>
    </div>
  );
}

type LoginAlertsProps = {
  notice: string;
  stateNotice: string | undefined;
  timedOut: boolean;
  error: string | null;
};

function LoginAlerts({ notice, stateNotice, timedOut, error }: LoginAlertsProps) {
  return (
    <>
      {stateNotice && (
        <Alert
          type="success"
          showIcon
          title={stateNotice}
          style={{ marginBottom: 16 }}
          data-testid="login-success-notice"
        />
      )}
      {timedOut && (
        <Alert
          type="warning"
          showIcon
          title="登录已超时，请重新登录"
          style={{ marginBottom: 16 }}
          data-testid="session-timeout"
        />
      )}
      {notice && (
        <Alert
          type="info"
          showIcon
          title="公告"
          description={<span style={{ whiteSpace: 'pre-wrap' }}>{notice}</span>}
          style={{ marginBottom: 16 }}
          data-testid="login-notice"
        />
      )}
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />
      )}
    </>
  );
}

function TotpField() {
  return (
    <>
      <Alert
        type="info"
        showIcon
        title="该账号已启用动态口令，请输入验证器中的 6 位数字"
        style={{ marginBottom: 16 }}
      />
      <Form.Item
        name="totp"
        label="动态口令"
        rules={[
          { required: true, message: '请输入动态口令' },
          { pattern: /^\d{6}$/, message: '动态口令为 6 位数字' },
        ]}
      >
        <Input
          prefix={<SafetyOutlined />}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          placeholder="6 位数字"
          autoFocus
          data-testid="login-totp"
        />
      </Form.Item>
    </>
  );
}
