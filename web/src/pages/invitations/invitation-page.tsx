import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Form, type FormInstance, Input, Result, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  passwordPolicyText,
  passwordProblems,
  usernamePattern,
  usernameRuleText,
} from '../../../../src/modules/accounts/account-rules.ts';
import { publicApiClient, unwrap } from '../../api/client.ts';
import type { PublicInvitation } from '../../api/types.ts';
import { ApiError, errorMessage } from '../../api.ts';
import { LoadingState } from '../../components/states.tsx';
import type { LoginLocationState } from '../../session.tsx';
import { formatMinute } from '../../time.ts';

type AcceptForm = { displayName: string; username: string; password: string; confirmPassword: string };

const formFields = ['displayName', 'username', 'password'] as const;

/** A dead link (unknown, expired, revoked, used) or a failed load: the server's reason, and the way on. */
function UnusableInvitation({ failure }: { failure: unknown }) {
  const code = failure instanceof ApiError ? failure.code : null;
  const used = code === 'invitation_used';
  return (
    <Result
      status={used ? 'info' : 'warning'}
      title={used ? '账号已开通' : code?.startsWith('invitation_') ? '邀请链接不可用' : '无法读取邀请'}
      subTitle={errorMessage(failure)}
      data-testid="invitation-unusable"
      extra={
        <Link to="/login">
          <Button type="primary">前往登录</Button>
        </Link>
      }
    />
  );
}

type AcceptInvitationFormProps = {
  invitation: PublicInvitation;
  form: FormInstance<AcceptForm>;
  onFinish: (values: AcceptForm) => Promise<void>;
  submitting: boolean;
  error: string | null;
  username: string;
};

/** The greeting, the invitation's facts and the account form, once the invitation has loaded. */
function AcceptInvitationForm({
  invitation: data,
  form,
  onFinish,
  submitting,
  error,
  username,
}: AcceptInvitationFormProps) {
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="invitation-greeting">
        {data.inviteeName}，您好！
      </Typography.Title>
      <Typography.Paragraph>
        县级主管部门邀请您为本企业开通 e镇通 企业账号。开通后可填报本企业的月度统计、查看本企业档案。
      </Typography.Paragraph>
      <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label="市场主体">
          <span data-testid="invitation-entity">{data.entityName}</span>
        </Descriptions.Item>
        <Descriptions.Item label="所在e镇">{data.etownName}</Descriptions.Item>
        <Descriptions.Item label="链接有效期至">{formatMinute(data.expiresAt)}</Descriptions.Item>
      </Descriptions>
      <Alert type="info" title="密码要求" description={passwordPolicyText} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={onFinish}
        requiredMark={false}
        initialValues={{ displayName: data.inviteeName }}
      >
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}
        >
          <Input maxLength={60} data-testid="accept-display-name" />
        </Form.Item>
        <Form.Item
          name="username"
          label="用户名"
          extra="登录时使用，3–64 位小写字母、数字、点、下划线或连字符，如 zhang.san"
          rules={[
            { required: true, message: '请设置用户名' },
            { pattern: usernamePattern, message: usernameRuleText },
          ]}
        >
          <Input prefix={<UserOutlined />} autoComplete="username" data-testid="accept-username" />
        </Form.Item>
        <Form.Item
          name="password"
          label="密码"
          dependencies={['username']}
          rules={[
            { required: true, message: '请设置密码' },
            {
              validator: async (_rule, value: string | undefined) => {
                const problems = passwordProblems(value ?? '', username);
                if (value && problems.length) throw new Error(problems.join('；'));
              },
            },
          ]}
        >
          <Input.Password
            prefix={<LockOutlined />}
            autoComplete="new-password"
            data-testid="accept-password"
          />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label="确认密码"
          dependencies={['password']}
          rules={[
            { required: true, message: '请再次输入密码' },
            ({ getFieldValue }) => ({
              validator: async (_rule, value: string | undefined) => {
                if (value && value !== getFieldValue('password')) throw new Error('两次输入的密码不一致');
              },
            }),
          ]}
        >
          <Input.Password
            prefix={<LockOutlined />}
            autoComplete="new-password"
            data-testid="accept-confirm-password"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={submitting} data-testid="accept-submit">
          开通账号
        </Button>
      </Form>
    </>
  );
}

/**
 * The public page behind an invitation link: greets the invitee, names the entity, and lets them choose the
 * username and password of their enterprise account.
 */
export function InvitationPage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const [form] = Form.useForm<AcceptForm>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [invitation, setInvitation] = useState<PublicInvitation | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const username = Form.useWatch('username', form) ?? '';

  useEffect(() => {
    setInvitation(null);
    setFailure(null);
    unwrap(publicApiClient.GET('/api/invitations/{token}', { params: { path: { token } } }))
      .then(setInvitation)
      .catch(setFailure);
  }, [token]);

  const submit = async (values: AcceptForm) => {
    setSubmitting(true);
    setError(null);
    try {
      const body = {
        displayName: values.displayName.trim(),
        username: values.username.trim().toLowerCase(),
        password: values.password,
      };
      const accepted = await unwrap(
        publicApiClient.POST('/api/invitations/{token}/accept', { params: { path: { token } }, body }),
      );
      const state: LoginLocationState = {
        notice: `账号 ${accepted.username} 已开通，请用新密码登录`,
        username: accepted.username,
      };
      navigate('/login', { replace: true, state });
    } catch (refusal) {
      if (refusal instanceof ApiError && refusal.status === 404) {
        setFailure(refusal);
        return;
      }
      // Problems the server names by field go onto those fields; anything else above the form.
      const details = refusal instanceof ApiError && Array.isArray(refusal.details) ? refusal.details : [];
      const onFields = formFields.flatMap((field) => {
        const errors = (details as { path?: string; message?: string }[])
          .filter((detail) => detail.path === field || detail.path === `body.${field}`)
          .map((detail) => detail.message ?? errorMessage(refusal));
        return errors.length ? [{ name: field, errors }] : [];
      });
      if (onFields.length) form.setFields(onFields);
      else setError(errorMessage(refusal));
    } finally {
      setSubmitting(false);
    }
  };

  let body: ReactNode;
  if (failure) body = <UnusableInvitation failure={failure} />;
  else if (!invitation) body = <LoadingState tip="正在读取邀请…" />;
  else
    body = (
      <AcceptInvitationForm
        invitation={invitation}
        form={form}
        onFinish={submit}
        submitting={submitting}
        error={error}
        username={username}
      />
    );

  return (
    <div className="login-page">
      <Card className="login-card" style={{ width: 480 }} data-testid="invitation-card">
        <div className="login-title" style={{ marginBottom: 16 }}>
          <span className="app-brand-mark" style={{ width: 40, height: 40, fontSize: 24 }}>
            e
          </span>
          <Typography.Title level={4} style={{ margin: '10px 0 0' }}>
            e镇通 · 企业账号开通
          </Typography.Title>
        </div>
        {body}
      </Card>
    </div>
  );
}
