import {
  DeleteOutlined,
  EditOutlined,
  EyeOutlined,
  LinkOutlined,
  LogoutOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { CreditKind, CreditRecord, EntityDetail, EntityTag } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { dayjs, formatDate, formatMinute, todayInShanghai } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { EnterpriseAccountsCard } from './enterprise-accounts-card.tsx';
import { EntityFormDrawer } from './entity-form-drawer.tsx';
import { EntityTags, GradeTag } from './entity-list-page.tsx';
import {
  canEntities,
  creditGradeRule,
  entityTagColors,
  entityTagLabels,
  entityTypeLabels,
  goodConductCategories,
  shopPlatforms,
  violationCategories,
} from './entity-types.ts';

const gradeTextColors = { A: '#389e0d', B: '#1677ff', C: '#d46b08', D: '#cf1322' } as const;

const day = (value: Dayjs) => value.format('YYYY-MM-DD');
const today = () => dayjs(todayInShanghai());

/** Sends one change of the entity and shows the entity the server answers with. */
type Saver = (request: () => Promise<EntityDetail>, done: string) => Promise<boolean>;

function ContactPhone({ entity }: { entity: EntityDetail }) {
  const me = useMe();
  const { message } = App.useApp();
  const [phone, setPhone] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  if (!entity.contactPhoneMasked) return <>—</>;
  const reveal = async () => {
    setLoading(true);
    try {
      const revealed = await unwrap(
        apiClient.POST('/api/entities/{id}/contact/reveal', { params: { path: { id: entity.id } } }),
      );
      setPhone(revealed.phone);
      message.info('已显示完整号码，本次查看已记入审计日志');
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setLoading(false);
    }
  };
  return (
    <Space>
      <span data-testid="contact-phone">{phone ?? entity.contactPhoneMasked}</span>
      {!phone && canEntities.revealContact(me.role) && (
        <Button
          size="small"
          type="link"
          icon={<EyeOutlined />}
          loading={loading}
          onClick={() => void reveal()}
          data-testid="reveal-phone"
        >
          查看
        </Button>
      )}
    </Space>
  );
}

function TagHistory({ entity }: { entity: EntityDetail }) {
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        标签历史
      </Typography.Title>
      {entity.tagHistory.length === 0 ? (
        <Typography.Text type="secondary">暂无变更记录</Typography.Text>
      ) : (
        <Timeline
          data-testid="tag-history"
          items={entity.tagHistory.map((event) => ({
            key: event.id,
            color: event.action === 'added' ? 'green' : 'gray',
            content: (
              <>
                <Typography.Text strong>
                  {formatDate(event.effectiveOn)} {event.action === 'added' ? '认定' : '取消'}“
                  {entityTagLabels[event.tag]}”
                </Typography.Text>
                <div>{event.reason}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {event.actorName ?? '台账导入'} · 录入于 {formatMinute(event.at)}
                </Typography.Text>
              </>
            ),
          }))}
        />
      )}
    </>
  );
}

function TagsCard({ entity, writable, save }: { entity: EntityDetail; writable: boolean; save: Saver }) {
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<EntityTag | null>(null);
  const available = (Object.keys(entityTagLabels) as EntityTag[]).filter((tag) => !entity.tags.includes(tag));
  return (
    <Card
      title="标签"
      data-testid="tags-card"
      extra={
        writable &&
        available.length > 0 && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="tag-add">
            添加标签
          </Button>
        )
      }
    >
      {entity.currentTags.length === 0 ? (
        <Empty description="暂无标签" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size={8}>
          {entity.currentTags.map((tag) => (
            <div key={tag.tag} className="entity-tag-row" data-testid={`current-tag-${tag.tag}`}>
              <Space wrap>
                <Tag color={entityTagColors[tag.tag]}>{entityTagLabels[tag.tag]}</Tag>
                <Typography.Text type="secondary">
                  {formatDate(tag.taggedOn)} 起 · {tag.reason ?? '—'}
                </Typography.Text>
                {writable && (
                  <Button size="small" type="link" danger onClick={() => setRemoving(tag.tag)}>
                    取消
                  </Button>
                )}
              </Space>
            </div>
          ))}
        </Space>
      )}
      <TagHistory entity={entity} />
      <FormModal<{ tag: EntityTag; reason: string; effectiveOn: Dayjs }>
        title="添加标签"
        open={adding}
        onClose={() => setAdding(false)}
        testId="tag-add-modal"
        initialValues={{ effectiveOn: today() }}
        onSubmit={(values) =>
          save(
            () =>
              unwrap(
                apiClient.POST('/api/entities/{id}/tags', {
                  params: { path: { id: entity.id } },
                  body: {
                    tag: values.tag,
                    reason: values.reason.trim(),
                    effectiveOn: day(values.effectiveOn),
                  },
                }),
              ),
            `已添加“${entityTagLabels[values.tag]}”标签`,
          )
        }
      >
        <Form.Item name="tag" label="标签" rules={[{ required: true, message: '请选择标签' }]}>
          <Select options={available.map((tag) => ({ value: tag, label: entityTagLabels[tag] }))} />
        </Form.Item>
        <Form.Item
          name="reason"
          label="认定理由"
          rules={[{ required: true, whitespace: true, message: '请填写认定理由' }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="effectiveOn" label="认定日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </FormModal>
      <FormModal<{ reason: string; effectiveOn: Dayjs }>
        title={removing ? `取消“${entityTagLabels[removing]}”标签` : '取消标签'}
        open={Boolean(removing)}
        onClose={() => setRemoving(null)}
        okText="取消标签"
        danger
        testId="tag-remove-modal"
        initialValues={{ effectiveOn: today() }}
        onSubmit={async (values) => {
          if (!removing) return false;
          const body = { tag: removing, reason: values.reason.trim(), effectiveOn: day(values.effectiveOn) };
          return save(
            () =>
              unwrap(
                apiClient.POST('/api/entities/{id}/tags/remove', {
                  params: { path: { id: entity.id } },
                  body,
                }),
              ),
            '已取消标签，记入标签历史',
          );
        }}
      >
        <Form.Item
          name="reason"
          label="取消理由"
          rules={[{ required: true, whitespace: true, message: '请填写取消理由' }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="effectiveOn" label="取消日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}

function ShopAddModal({
  entityId,
  open,
  onClose,
  save,
}: {
  entityId: EntityDetail['id'];
  open: boolean;
  onClose: () => void;
  save: Saver;
}) {
  return (
    <FormModal<{ platform: string; shopName: string; url?: string }>
      title="添加网店"
      open={open}
      onClose={onClose}
      testId="shop-add-modal"
      onSubmit={(values) =>
        save(
          () =>
            unwrap(
              apiClient.POST('/api/entities/{id}/shops', {
                params: { path: { id: entityId } },
                body: {
                  platform: values.platform,
                  shopName: values.shopName.trim(),
                  url: values.url?.trim() || null,
                },
              }),
            ),
          '已添加网店',
        )
      }
    >
      <Form.Item name="platform" label="平台" rules={[{ required: true, message: '请选择平台' }]}>
        <Select
          showSearch
          options={shopPlatforms.map((platform) => ({ value: platform, label: platform }))}
        />
      </Form.Item>
      <Form.Item
        name="shopName"
        label="店铺名称"
        rules={[{ required: true, whitespace: true, message: '请填写店铺名称' }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        name="url"
        label="店铺链接"
        rules={[{ type: 'url', message: '请填写以 http:// 或 https:// 开头的网址' }]}
      >
        <Input maxLength={500} placeholder="https://" />
      </Form.Item>
    </FormModal>
  );
}

function ShopsCard({ entity, writable, save }: { entity: EntityDetail; writable: boolean; save: Saver }) {
  const [adding, setAdding] = useState(false);
  const { message } = App.useApp();
  return (
    <Card
      title="网店"
      data-testid="shops-card"
      extra={
        writable && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="shop-add">
            添加网店
          </Button>
        )
      }
    >
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={entity.shops}
        locale={{ emptyText: '尚未登记网店' }}
        columns={[
          { title: '平台', dataIndex: 'platform', width: 130, render: (value: string) => <Tag>{value}</Tag> },
          { title: '店铺名称', dataIndex: 'shopName' },
          {
            title: '链接',
            dataIndex: 'url',
            render: (url: string | null) =>
              url ? (
                <a href={url} target="_blank" rel="noopener noreferrer">
                  <LinkOutlined /> 打开
                </a>
              ) : (
                '—'
              ),
          },
          ...(writable
            ? [
                {
                  title: '',
                  width: 60,
                  render: (_: unknown, shop: EntityDetail['shops'][number]) => (
                    <Popconfirm
                      title={`删除网店“${shop.shopName}”？`}
                      onConfirm={async () => {
                        try {
                          await save(
                            () =>
                              unwrap(
                                apiClient.DELETE('/api/entities/{id}/shops/{shopId}', {
                                  params: { path: { id: entity.id, shopId: shop.id } },
                                }),
                              ),
                            '已删除网店',
                          );
                        } catch (failure) {
                          message.error(errorMessage(failure));
                        }
                      }}
                    >
                      <Button
                        size="small"
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label="删除网店"
                      />
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <ShopAddModal entityId={entity.id} open={adding} onClose={() => setAdding(false)} save={save} />
    </Card>
  );
}

type CreditForm = {
  kind: CreditKind;
  category: string;
  points: number;
  description: string;
  source: string;
  occurredOn: Dayjs;
};

function CreditCard({ entity, save }: { entity: EntityDetail; save: Saver }) {
  const me = useMe();
  const [adding, setAdding] = useState(false);
  const writable = canEntities.writeCredit(me.role);
  return (
    <Card
      title="信用"
      data-testid="credit-card"
      extra={
        writable && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setAdding(true)}
            data-testid="credit-add"
          >
            记录信用信息
          </Button>
        )
      }
    >
      <Row gutter={16} align="middle">
        <Col flex="160px">
          <Statistic
            title="信用等级"
            value={`${entity.credit.grade} 级`}
            styles={{
              content: { color: gradeTextColors[entity.credit.grade] },
            }}
          />
        </Col>
        <Col flex="auto">
          <div data-testid="credit-formula">
            <Typography.Text strong>信用分 {entity.credit.formula}</Typography.Text>
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {creditGradeRule}
          </Typography.Text>
        </Col>
      </Row>
      <Table<CreditRecord>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={entity.creditRecords}
        locale={{ emptyText: '暂无信用记录' }}
        columns={[
          { title: '日期', dataIndex: 'occurredOn', width: 130, render: formatDate },
          {
            title: '类别',
            dataIndex: 'category',
            width: 140,
            render: (category: string, record) => (
              <Tag color={record.kind === 'good' ? 'green' : 'red'}>
                {record.kind === 'good' ? '良好' : '违规'} · {category}
              </Tag>
            ),
          },
          { title: '情况', dataIndex: 'description' },
          { title: '来源', dataIndex: 'source', width: 200 },
          {
            title: '分值',
            dataIndex: 'points',
            width: 70,
            align: 'right',
            render: (points: number) => (
              <Typography.Text type={points < 0 ? 'danger' : 'success'}>
                {points > 0 ? `+${points}` : points}
              </Typography.Text>
            ),
          },
        ]}
      />
      <CreditModal
        open={adding}
        onClose={() => setAdding(false)}
        onSubmit={(values) =>
          save(
            () =>
              unwrap(
                apiClient.POST('/api/entities/{id}/credit-records', {
                  params: { path: { id: entity.id } },
                  body: {
                    kind: values.kind,
                    category: values.category,
                    points: values.points,
                    description: values.description.trim(),
                    source: values.source.trim(),
                    occurredOn: day(values.occurredOn),
                  },
                }),
              ),
            '已记录信用信息',
          )
        }
      />
    </Card>
  );
}

function CreditModal({
  open,
  onClose,
  onSubmit,
}: {
  open: boolean;
  onClose: () => void;
  onSubmit: (values: CreditForm) => Promise<boolean>;
}) {
  const [form] = Form.useForm<CreditForm>();
  const [saving, setSaving] = useState(false);
  const kind = Form.useWatch('kind', form) ?? 'violation';
  const categories = kind === 'good' ? goodConductCategories : violationCategories;
  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      if (await onSubmit(values)) onClose();
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      title="记录信用信息"
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ loading: saving }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ kind: 'violation', occurredOn: today() }}
        onValuesChange={(changed: Partial<CreditForm>) => {
          if (changed.kind) form.setFieldsValue({ category: undefined, points: undefined });
          if (changed.category) form.setFieldsValue({ points: categories[changed.category] });
        }}
      >
        <Form.Item name="kind" label="类型">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'violation', label: '违规记录' },
              { value: 'good', label: '良好记录' },
            ]}
          />
        </Form.Item>
        <Space size={16} align="start">
          <Form.Item name="category" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
            <Select
              style={{ width: 200 }}
              options={Object.entries(categories).map(([category, points]) => ({
                value: category,
                label: `${category}（${points > 0 ? '+' : ''}${points}）`,
              }))}
            />
          </Form.Item>
          <Form.Item
            name="points"
            label="分值"
            extra="默认按类别标准分，可酌情调整"
            rules={[{ required: true, message: '请填写分值' }]}
          >
            <InputNumber min={kind === 'good' ? 0 : -50} max={kind === 'good' ? 20 : 0} precision={0} />
          </Form.Item>
        </Space>
        <Form.Item
          name="description"
          label="情况说明"
          rules={[{ required: true, whitespace: true, message: '请填写情况说明' }]}
        >
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
        <Form.Item
          name="source"
          label="信息来源"
          rules={[{ required: true, whitespace: true, message: '请填写信息来源' }]}
          extra="如：县市场监督管理局行政处罚决定书、表彰文件文号"
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="occurredOn" label="发生日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EntityBasicsCard({ detail }: { detail: EntityDetail }) {
  return (
    <Card title="基本信息" data-testid="entity-basics">
      <Descriptions column={{ xs: 1, md: 2 }} size="middle">
        <Descriptions.Item label="统一社会信用代码" span={2}>
          <Typography.Text copyable data-testid="entity-credit-code-value">
            {detail.creditCode}
          </Typography.Text>
          {detail.creditCodeOverride && (
            <Tag color="orange" style={{ marginLeft: 8 }}>
              校验位不符 · 省级已放行
            </Tag>
          )}
        </Descriptions.Item>
        {detail.creditCodeOverride && (
          <Descriptions.Item label="放行理由" span={2}>
            {detail.creditCodeOverride}
          </Descriptions.Item>
        )}
        <Descriptions.Item label="主体类型">{entityTypeLabels[detail.entityType]}</Descriptions.Item>
        <Descriptions.Item label="法人主体">{detail.legalEntity ? '是' : '否'}</Descriptions.Item>
        <Descriptions.Item label="注册日期">{formatDate(detail.registeredOn)}</Descriptions.Item>
        <Descriptions.Item label="所在e镇">
          <Link to={`/etowns/${detail.etownCode}`}>{detail.etownName}</Link>
        </Descriptions.Item>
        <Descriptions.Item label="地址" span={2}>
          {detail.address ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label="联系人">{detail.contactName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="联系电话">
          <ContactPhone entity={detail} />
        </Descriptions.Item>
        <Descriptions.Item label="当前标签" span={2}>
          <EntityTags tags={detail.tags} />
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function ExitModal({
  detail,
  open,
  onClose,
  onSaved,
}: {
  detail: EntityDetail;
  open: boolean;
  onClose: () => void;
  onSaved: (saved: EntityDetail) => void;
}) {
  const { message } = App.useApp();
  return (
    <FormModal<{ exitedOn: Dayjs; reason: string }>
      title={`办理退出：${detail.name}`}
      open={open}
      onClose={onClose}
      okText="确认退出"
      danger
      testId="exit-modal"
      initialValues={{ exitedOn: today() }}
      onSubmit={async (values) => {
        try {
          const body = {
            version: detail.version,
            exitedOn: day(values.exitedOn),
            reason: values.reason.trim(),
          };
          const saved = await unwrap(
            apiClient.POST('/api/entities/{id}/exit', { params: { path: { id: detail.id } }, body }),
          );
          onSaved(saved);
          message.success('已办理退出；该主体仍可在“已退出”筛选中查到');
          return true;
        } catch (failure) {
          message.error(errorMessage(failure));
          return false;
        }
      }}
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title="退出后该主体不再计入在册名录，档案、标签和信用记录保留。"
      />
      <Form.Item name="exitedOn" label="退出日期" rules={[{ required: true, message: '请选择退出日期' }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        name="reason"
        label="退出原因"
        rules={[{ required: true, whitespace: true, message: '请填写退出原因' }]}
      >
        <Input.TextArea rows={3} maxLength={500} data-testid="exit-reason" />
      </Form.Item>
    </FormModal>
  );
}

export function EntityDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { message } = App.useApp();
  const entity = useLoader(
    () => unwrap(apiClient.GET('/api/entities/{id}', { params: { path: { id } } })),
    id,
  );
  const [editing, setEditing] = useState(false);
  const [exiting, setExiting] = useState(false);
  const writable = canEntities.write(me.role);
  const isEnterprise = canEntities.apply(me.role);
  const crumbs = isEnterprise ? [{ title: '本企业档案' }] : [{ title: '市场主体', to: '/entities' }];

  if (entity.loading && !entity.data) {
    return (
      <>
        <PageHeader title="市场主体" crumbs={crumbs} />
        <LoadingState />
      </>
    );
  }
  if (entity.notFound) {
    return (
      <>
        <PageHeader title="市场主体" crumbs={crumbs} />
        <Card>
          <NotFoundState what="市场主体" backTo="/entities" backLabel="返回市场主体列表" />
        </Card>
      </>
    );
  }
  if (!entity.data) {
    return (
      <>
        <PageHeader title="市场主体" crumbs={crumbs} />
        <ErrorState message={entity.error ?? '加载失败'} onRetry={entity.reload} />
      </>
    );
  }
  const detail = entity.data;
  const save: Saver = async (request, done) => {
    try {
      entity.setData(await request());
      message.success(done);
      return true;
    } catch (failure) {
      message.error(errorMessage(failure));
      return false;
    }
  };

  return (
    <>
      <PageHeader
        title={
          <Space wrap>
            <span data-testid="entity-title">{detail.name}</span>
            {detail.status === 'exited' ? <Tag>已退出</Tag> : <Tag color="green">在册</Tag>}
            <GradeTag credit={detail.credit} />
          </Space>
        }
        crumbs={[...crumbs, { title: detail.etownName }, { title: detail.name }]}
        subtitle={`${detail.countyName} · ${detail.etownName} · 最后更新 ${formatMinute(detail.updatedAt)}`}
        extra={
          writable && (
            <>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="entity-edit">
                编辑
              </Button>
              {detail.status === 'active' && (
                <Button
                  danger
                  icon={<LogoutOutlined />}
                  onClick={() => setExiting(true)}
                  data-testid="entity-exit"
                >
                  办理退出
                </Button>
              )}
            </>
          )
        }
      />
      {detail.status === 'exited' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`已于 ${formatDate(detail.exitedOn)} 退出`}
          description={`退出原因：${detail.exitReason ?? '—'}`}
          data-testid="exit-alert"
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <EntityBasicsCard detail={detail} />
            <ShopsCard entity={detail} writable={writable} save={save} />
            <CreditCard entity={detail} save={save} />
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <TagsCard entity={detail} writable={writable} save={save} />
            {can.readInvitations(me.role) && (
              <EnterpriseAccountsCard entity={detail} writable={can.inviteEnterprises(me.role)} />
            )}
          </Space>
        </Col>
      </Row>
      {writable && (
        <EntityFormDrawer
          open={editing}
          entity={detail}
          onClose={() => setEditing(false)}
          onSaved={(saved) => entity.setData(saved)}
        />
      )}
      <ExitModal
        detail={detail}
        open={exiting}
        onClose={() => setExiting(false)}
        onSaved={(saved) => entity.setData(saved)}
      />
    </>
  );
}
