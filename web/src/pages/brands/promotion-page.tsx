import {
  CheckCircleFilled,
  DeleteOutlined,
  EditOutlined,
  ExclamationCircleFilled,
  PlusOutlined,
} from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type {
  EtownSummary,
  MediaChannel,
  MediaChannelKind,
  PromotionEvent,
  PromotionEventKind,
} from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { dayjs, formatDate, todayInShanghai } from '../../time.ts';
import { type Loaded, useLoader } from '../../use-loader.ts';
import { mediaChannelKindLabels, promotionEventKindColors, promotionEventKindLabels } from './brand-types.ts';

function Requirement({ met, children }: { met: boolean; children: string }) {
  return (
    <Space size={6}>
      {met ? (
        <CheckCircleFilled style={{ color: '#389e0d' }} />
      ) : (
        <ExclamationCircleFilled style={{ color: '#d48806' }} />
      )}
      <Typography.Text type={met ? undefined : 'warning'}>{children}</Typography.Text>
    </Space>
  );
}

function EtownSelect({ etowns }: { etowns: EtownSummary[] }) {
  return (
    <Form.Item name="etownCode" label="所属e镇" rules={[{ required: true, message: '请选择e镇' }]}>
      <Select
        options={etowns.map((etown) => ({ value: etown.code, label: etown.name }))}
        data-testid="promotion-etown"
      />
    </Form.Item>
  );
}

/** Indicators 10, 14 and 19 of the year, counted from the e-town's events and channels. */
function PromotionIndicators({
  name,
  year,
  events,
  channels,
}: {
  name: string | undefined;
  year: number;
  events: PromotionEvent[];
  channels: MediaChannel[];
}) {
  const thisYear = events.filter((event) => event.heldOn.startsWith(`${year}-`));
  const count = (kind: PromotionEventKind) => thisYear.filter((event) => event.kind === kind).length;
  const channelCount = (kind: MediaChannelKind) => channels.filter((channel) => channel.kind === kind).length;
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="promotion-indicators">
      <Space wrap size={[32, 8]}>
        <Typography.Text strong>
          {name} {year} 年
        </Typography.Text>
        <Requirement
          met={count('expo') >= 1}
        >{`指标 10：展会 ${count('expo')} 次（不少于 1 次）`}</Requirement>
        <Requirement met={channelCount('new_media') >= 1 && channelCount('traditional') >= 1}>
          {`指标 10：新媒体 ${channelCount('new_media')} 个、传统媒体 ${channelCount('traditional')} 个（各不少于 1 个）`}
        </Requirement>
        <Requirement
          met={count('competition') >= 1}
        >{`指标 14：大赛 ${count('competition')} 次（不少于 1 次）`}</Requirement>
        <Requirement
          met={count('publicity') >= 2}
        >{`指标 19：宣传活动 ${count('publicity')} 次（不少于 2 次）`}</Requirement>
      </Space>
    </Card>
  );
}

/** Deletes a row, tells the user, and reloads the list; a failure is told, not thrown. */
function useRemove() {
  const { message } = App.useApp();
  return async (request: () => Promise<unknown>, done: string, reload: () => Promise<void>) => {
    try {
      await request();
      message.success(done);
      await reload();
    } catch (failure) {
      message.error(errorMessage(failure));
    }
  };
}

/** The edit and delete buttons of one row. */
function RowActions({
  noun,
  title,
  onEdit,
  onRemove,
}: {
  noun: string;
  title: string;
  onEdit: () => void;
  onRemove: () => Promise<void>;
}) {
  return (
    <Space size={0}>
      <Button size="small" type="text" icon={<EditOutlined />} aria-label={`编辑${noun}`} onClick={onEdit} />
      <Popconfirm title={`删除“${title}”？`} onConfirm={onRemove}>
        <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={`删除${noun}`} />
      </Popconfirm>
    </Space>
  );
}

function EventsCard({
  events,
  writable,
  singleEtown,
  scopeName,
  onEdit,
}: {
  events: Loaded<PromotionEvent[]>;
  writable: boolean;
  singleEtown: boolean;
  scopeName: string;
  onEdit: (event: PromotionEvent | 'new') => void;
}) {
  const remove = useRemove();
  return (
    <Card
      title="展会、大赛与宣传活动"
      data-testid="events-card"
      extra={
        writable && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => onEdit('new')} data-testid="event-add">
            登记活动
          </Button>
        )
      }
    >
      {events.error ? (
        <ErrorState message={events.error} onRetry={events.reload} />
      ) : (
        <Table<PromotionEvent>
          rowKey="id"
          size="small"
          loading={events.loading}
          dataSource={events.data ?? []}
          data-testid="event-table"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{
            emptyText: writable
              ? `${scopeName}还没有登记活动。点击“登记活动”记录举办或参加的展会、大赛和宣传活动。`
              : `${scopeName}还没有登记活动。`,
          }}
          columns={[
            { title: '日期', dataIndex: 'heldOn', width: 130, render: formatDate },
            {
              title: '类型',
              dataIndex: 'kind',
              width: 100,
              render: (kind: PromotionEventKind) => (
                <Tag color={promotionEventKindColors[kind]}>{promotionEventKindLabels[kind]}</Tag>
              ),
            },
            { title: '活动名称', dataIndex: 'title' },
            ...(singleEtown ? [] : [{ title: 'e镇', dataIndex: 'etownName', width: 130 }]),
            ...(writable
              ? [
                  {
                    title: '',
                    width: 80,
                    render: (_: unknown, event: PromotionEvent) => (
                      <RowActions
                        noun="活动"
                        title={event.title}
                        onEdit={() => onEdit(event)}
                        onRemove={() =>
                          remove(
                            () =>
                              apiClient.DELETE('/api/promotion/events/{id}', {
                                params: { path: { id: event.id } },
                              }),
                            '已删除活动',
                            events.reload,
                          )
                        }
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
    </Card>
  );
}

function ChannelsCard({
  channels,
  writable,
  onEdit,
}: {
  channels: Loaded<MediaChannel[]>;
  writable: boolean;
  onEdit: (channel: MediaChannel | 'new') => void;
}) {
  const remove = useRemove();
  return (
    <Card
      title="宣传渠道"
      data-testid="channels-card"
      extra={
        writable && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => onEdit('new')}
            data-testid="channel-add"
          >
            登记渠道
          </Button>
        )
      }
    >
      {channels.error ? (
        <ErrorState message={channels.error} onRetry={channels.reload} />
      ) : (
        <Table<MediaChannel>
          rowKey="id"
          size="small"
          loading={channels.loading}
          dataSource={channels.data ?? []}
          data-testid="channel-table"
          pagination={false}
          locale={{
            emptyText: writable
              ? '还没有宣传渠道。点击“登记渠道”添加抖音号、公众号等新媒体和广播电视、报刊等传统媒体。'
              : '还没有宣传渠道。',
          }}
          columns={[
            {
              title: '类型',
              dataIndex: 'kind',
              width: 100,
              render: (kind: MediaChannelKind) => (
                <Tag color={kind === 'new_media' ? 'magenta' : 'gold'}>{mediaChannelKindLabels[kind]}</Tag>
              ),
            },
            { title: '渠道名称', dataIndex: 'name' },
            ...(writable
              ? [
                  {
                    title: '',
                    width: 80,
                    render: (_: unknown, channel: MediaChannel) => (
                      <RowActions
                        noun="渠道"
                        title={channel.name}
                        onEdit={() => onEdit(channel)}
                        onRemove={() =>
                          remove(
                            () =>
                              apiClient.DELETE('/api/promotion/media-channels/{id}', {
                                params: { path: { id: channel.id } },
                              }),
                            '已删除渠道',
                            channels.reload,
                          )
                        }
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
    </Card>
  );
}

/** Props of the event and channel modals: `row` is the record being edited, null registers a new one. */
type EditModalProps<T> = {
  row: T | null;
  open: boolean;
  onClose: () => void;
  onStale: (current: T) => void;
  etowns: EtownSummary[];
  defaultEtown: string | undefined;
  onSaved: () => Promise<void>;
};

function EventModal({
  row,
  open,
  onClose,
  onStale,
  etowns,
  defaultEtown,
  onSaved,
}: EditModalProps<PromotionEvent>) {
  const { message } = App.useApp();
  return (
    <FormModal<{ etownCode: string; kind: PromotionEventKind; heldOn: Dayjs; title: string }>
      title={row ? '编辑活动' : '登记活动'}
      open={open}
      onClose={onClose}
      testId="event-modal"
      fieldNames={['etownCode', 'kind', 'heldOn', 'title']}
      onStale={(current) => onStale(current as PromotionEvent)}
      initialValues={
        row
          ? { etownCode: row.etownCode, kind: row.kind, heldOn: dayjs(row.heldOn), title: row.title }
          : { etownCode: defaultEtown, kind: 'expo' }
      }
      onSubmit={async (values) => {
        const body = {
          kind: values.kind,
          heldOn: values.heldOn.format('YYYY-MM-DD'),
          title: values.title.trim(),
        };
        if (row) {
          await apiClient.PUT('/api/promotion/events/{id}', {
            params: { path: { id: row.id } },
            body: { ...body, version: row.version },
          });
        } else {
          await apiClient.POST('/api/promotion/events', { body: { ...body, etownCode: values.etownCode } });
        }
        message.success('已保存活动');
        await onSaved();
      }}
    >
      {!row && <EtownSelect etowns={etowns} />}
      <Form.Item name="kind" label="活动类型">
        <Radio.Group
          optionType="button"
          options={(Object.keys(promotionEventKindLabels) as PromotionEventKind[]).map((kind) => ({
            value: kind,
            label: promotionEventKindLabels[kind],
          }))}
        />
      </Form.Item>
      <Form.Item name="heldOn" label="举办日期" rules={[{ required: true, message: '请选择举办日期' }]}>
        <DatePicker style={{ width: '100%' }} data-testid="event-date" />
      </Form.Item>
      <Form.Item
        name="title"
        label="活动名称"
        rules={[{ required: true, whitespace: true, message: '请填写活动名称' }]}
      >
        <Input
          maxLength={200}
          placeholder="如：中国农民丰收节垣曲县特色农产品展销会"
          data-testid="event-title"
        />
      </Form.Item>
    </FormModal>
  );
}

function ChannelModal({
  row,
  open,
  onClose,
  onStale,
  etowns,
  defaultEtown,
  onSaved,
}: EditModalProps<MediaChannel>) {
  const { message } = App.useApp();
  return (
    <FormModal<{ etownCode: string; kind: MediaChannelKind; name: string }>
      title={row ? '编辑宣传渠道' : '登记宣传渠道'}
      open={open}
      onClose={onClose}
      testId="channel-modal"
      fieldNames={['etownCode', 'kind', 'name']}
      onStale={(current) => onStale(current as MediaChannel)}
      initialValues={
        row
          ? { etownCode: row.etownCode, kind: row.kind, name: row.name }
          : { etownCode: defaultEtown, kind: 'new_media' }
      }
      onSubmit={async (values) => {
        const body = { kind: values.kind, name: values.name.trim() };
        if (row) {
          await apiClient.PUT('/api/promotion/media-channels/{id}', {
            params: { path: { id: row.id } },
            body: { ...body, version: row.version },
          });
        } else {
          await apiClient.POST('/api/promotion/media-channels', {
            body: { ...body, etownCode: values.etownCode },
          });
        }
        message.success('已保存宣传渠道');
        await onSaved();
      }}
    >
      {!row && <EtownSelect etowns={etowns} />}
      <Form.Item name="kind" label="渠道类型">
        <Radio.Group
          optionType="button"
          options={(Object.keys(mediaChannelKindLabels) as MediaChannelKind[]).map((kind) => ({
            value: kind,
            label: mediaChannelKindLabels[kind],
          }))}
        />
      </Form.Item>
      <Form.Item
        name="name"
        label="渠道名称"
        rules={[{ required: true, whitespace: true, message: '请填写渠道名称' }]}
      >
        <Input
          maxLength={100}
          placeholder="如：垣曲六宝抖音号、垣曲县融媒体中心"
          data-testid="channel-name"
        />
      </Form.Item>
    </FormModal>
  );
}

/** The region's events, channels and e-towns, loaded once the region is known. */
function usePromotionData() {
  const { currentCode, loading: regionsLoading } = useRegions();
  const key = `${currentCode}|${regionsLoading}`;
  const params = { query: { regionCode: currentCode ?? undefined } };
  const events = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/promotion/events', { params })),
    key,
  );
  const channels = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/promotion/media-channels', { params })),
    key,
  );
  const etowns = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/etowns', { params })),
    key,
  );
  return { events, channels, etowns };
}

/** 展会与宣传: expos, competitions and publicity events, and the media channels (indicators 10, 14, 19). */
export function PromotionPage() {
  const me = useMe();
  const { current } = useRegions();
  const { events, channels, etowns } = usePromotionData();
  const writable = can.writePromotion(me.role);
  const year = Number(todayInShanghai().slice(0, 4));
  const [editingEvent, setEditingEvent] = useState<PromotionEvent | 'new' | null>(null);
  const [editingChannel, setEditingChannel] = useState<MediaChannel | 'new' | null>(null);
  const scopeName = current?.name ?? '当前区划';
  const defaultEtown = current?.level === 'etown' ? current.code : etowns.data?.[0]?.code;
  // The indicators are per e-town: shown when the region holds exactly one.
  const singleEtown = current?.level === 'etown' || etowns.data?.length === 1;

  return (
    <>
      <PageHeader
        title="展会与宣传"
        crumbs={[{ title: '展会与宣传' }, ...(current ? [{ title: current.name }] : [])]}
        subtitle={`${scopeName}举办或参加的展会、大赛与宣传活动，以及新媒体、传统媒体宣传渠道`}
      />
      {singleEtown && (
        <PromotionIndicators
          name={etowns.data?.[0]?.name ?? current?.name}
          year={year}
          events={events.data ?? []}
          channels={channels.data ?? []}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <EventsCard
            events={events}
            writable={writable}
            singleEtown={singleEtown}
            scopeName={scopeName}
            onEdit={setEditingEvent}
          />
        </Col>
        <Col xs={24} xl={9}>
          <ChannelsCard channels={channels} writable={writable} onEdit={setEditingChannel} />
        </Col>
      </Row>

      <EventModal
        row={editingEvent && editingEvent !== 'new' ? editingEvent : null}
        open={editingEvent !== null}
        onClose={() => setEditingEvent(null)}
        onStale={(current) => {
          setEditingEvent(current);
          void events.reload();
        }}
        etowns={etowns.data ?? []}
        defaultEtown={defaultEtown}
        onSaved={events.reload}
      />

      <ChannelModal
        row={editingChannel && editingChannel !== 'new' ? editingChannel : null}
        open={editingChannel !== null}
        onClose={() => setEditingChannel(null)}
        onStale={(current) => {
          setEditingChannel(current);
          void channels.reload();
        }}
        etowns={etowns.data ?? []}
        defaultEtown={defaultEtown}
        onSaved={channels.reload}
      />
    </>
  );
}
