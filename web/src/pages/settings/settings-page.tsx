import { App, Button, Card, Col, Descriptions, Form, Input, Row, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { Health, Settings } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { STALE_RECORD_MESSAGE, staleRecord } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { useLoader } from '../../use-loader.ts';

const databaseLabels: Record<Health['database'], string> = {
  pglite: 'PGlite 嵌入式数据库',
  postgres: 'PostgreSQL',
};

export function SettingsPage() {
  const [form] = Form.useForm<Settings>();
  const { message } = App.useApp();
  const settings = useLoader(() => unwrap(apiClient.GET('/api/settings')), 'settings');
  const health = useLoader(() => unwrap(apiClient.GET('/api/health')), 'health');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  const save = async (values: Settings) => {
    setSaving(true);
    try {
      const body = {
        loginNotice: values.loginNotice?.trim() ?? '',
        supportContact: values.supportContact?.trim() ?? '',
        // The version loaded: someone else's save since then answers 409 with the settings as they are.
        version: settings.data?.version ?? null,
      };
      const saved = await unwrap(apiClient.PUT('/api/settings', { body }));
      settings.setData(saved);
      message.success('系统设置已保存');
    } catch (failure) {
      const stale = staleRecord(failure);
      if (stale?.current) {
        message.warning(STALE_RECORD_MESSAGE);
        settings.setData(stale.current as Settings);
      } else message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageHeader
        title="系统设置"
        crumbs={[{ title: '系统设置' }]}
        subtitle="三员分立：系统管理员只维护系统参数，不能管理账号或查看审计日志。"
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Card title="平台设置" data-testid="settings-card">
            {settings.loading && !settings.data ? (
              <LoadingState />
            ) : settings.error ? (
              <ErrorState message={settings.error} onRetry={settings.reload} />
            ) : (
              <Form form={form} layout="vertical" onFinish={save}>
                <Form.Item name="loginNotice" label="登录页公告" extra="显示在登录页，留空则不显示。">
                  <Input.TextArea rows={4} maxLength={500} showCount data-testid="settings-login-notice" />
                </Form.Item>
                <Form.Item name="supportContact" label="技术支持联系方式">
                  <Input maxLength={200} placeholder="如：省商务厅信息中心 0351-XXXXXXX" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={saving} data-testid="settings-save">
                  保存
                </Button>
              </Form>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <Card title="系统信息" data-testid="system-info">
            {health.loading && !health.data ? (
              <LoadingState />
            ) : health.error || !health.data ? (
              <ErrorState message={health.error ?? '无法获取系统状态'} onRetry={health.reload} />
            ) : (
              <Descriptions
                column={1}
                size="small"
                items={[
                  {
                    key: 'status',
                    label: '运行状态',
                    children:
                      health.data.status === 'ok' ? <Tag color="green">正常</Tag> : health.data.status,
                  },
                  { key: 'database', label: '数据库', children: databaseLabels[health.data.database] },
                  { key: 'version', label: '版本', children: health.data.version },
                ]}
              />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
