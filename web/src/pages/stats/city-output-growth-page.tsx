import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { type AnswerOf, apiClient, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { dayjs, displayTimeZone, formatMinute } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';

type GrowthList = AnswerOf<'/api/cities/{cityCode}/output-growth', 'get'>;
type GrowthEntry = GrowthList['entries'][number];
type GrowthForm = { year: number; growthPct: string; source: string };

const path = '/api/cities/{cityCode}/output-growth/{year}' as const;

/** The cities the user can see: the city reviewer's own, or every city for the province. */
function useVisibleCities() {
  const { byCode, current } = useRegions();
  const cities = useMemo(() => [...byCode.values()].filter((region) => region.level === 'city'), [byCode]);
  const preferred = current?.path.find((region) => region.level === 'city')?.code ?? cities[0]?.code;
  return { cities, preferred };
}

function GrowthModal({
  cityCode,
  editing,
  onClose,
  onSaved,
  onStale,
}: {
  cityCode: string;
  editing: GrowthEntry | 'new' | null;
  onClose: () => void;
  onSaved: () => void;
  /** Someone saved the year meanwhile (or already had): `current` is edited from here on. */
  onStale: (current: GrowthEntry) => void;
}) {
  const { message } = App.useApp();
  const entry = editing === 'new' ? null : editing;
  const lastYear = dayjs().tz(displayTimeZone).year() - 1;
  return (
    <FormModal<GrowthForm>
      title={entry ? `更正 ${entry.year} 年的增长率` : '录入年度增长率'}
      open={editing !== null}
      onClose={onClose}
      testId="growth-modal"
      okText="保存"
      fieldNames={['growthPct', 'source']}
      initialValues={entry ? { ...entry } : { year: lastYear }}
      onStale={(current) => onStale(current as GrowthEntry)}
      onSubmit={async ({ year, growthPct, source }) => {
        // A new year carries no version: a figure stored for it meanwhile answers 409 with that figure.
        const version = entry?.version ?? null;
        await unwrap(
          apiClient.PUT(path, {
            params: { path: { cityCode, year } },
            body: { growthPct, source, version },
          }),
        );
        message.success(`${year} 年的增长率已保存，本市e镇的指标 23 已按新数据评价`);
        onSaved();
      }}
    >
      <Form.Item name="year" label="年度" rules={[{ required: true, message: '请填写年度' }]}>
        <InputNumber
          min={2020}
          max={2100}
          precision={0}
          disabled={Boolean(entry)}
          data-testid="growth-year"
        />
      </Form.Item>
      <Form.Item
        name="growthPct"
        label="全市年总产值平均增长率"
        rules={[{ required: true, message: '请填写增长率' }]}
        extra="百分数，可为负数，最多四位小数，如 6.5"
      >
        <Input suffix="%" inputMode="decimal" data-testid="growth-pct" />
      </Form.Item>
      <Form.Item
        name="source"
        label="数据来源"
        rules={[{ required: true, message: '请填写数据来源，如统计公报' }]}
      >
        <Input placeholder="如：运城市2025年国民经济和社会发展统计公报" data-testid="growth-source" />
      </Form.Item>
    </FormModal>
  );
}

/** The entered years; who may write gets 更正 and 删除 on each. */
function growthColumns(
  writable: boolean,
  onCorrect: (entry: GrowthEntry) => void,
  onRemove: (entry: GrowthEntry) => Promise<void>,
): TableColumnsType<GrowthEntry> {
  return [
    { title: '年度', dataIndex: 'year', width: 90 },
    { title: '增长率', dataIndex: 'growthPct', width: 110, render: (value: string) => `${value}%` },
    { title: '数据来源', dataIndex: 'source' },
    { title: '录入人', dataIndex: 'updatedByName', width: 140, render: (name) => name ?? '—' },
    {
      title: '更新时间',
      dataIndex: 'updatedAt',
      width: 170,
      render: (at: string) => formatMinute(at),
    },
    ...(writable
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 140,
            render: (_: unknown, entry: GrowthEntry) => (
              <Space>
                <Button size="small" onClick={() => onCorrect(entry)}>
                  更正
                </Button>
                <Popconfirm
                  title={`删除 ${entry.year} 年的增长率？`}
                  description="删除后本市e镇该年的指标 23 回到待定。"
                  okText="删除"
                  cancelText="取消"
                  onConfirm={() => void onRemove(entry)}
                >
                  <Button size="small" danger>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];
}

/** 市级年总产值平均增长率: the city enters the figure its e-towns' indicator 23 is judged against. */
export function CityOutputGrowthPage() {
  const me = useMe();
  const { message } = App.useApp();
  const { cities, preferred } = useVisibleCities();
  const [chosen, setChosen] = useState<string | undefined>();
  const cityCode = chosen ?? preferred;
  const mayWrite = can.writeCityOutputGrowth(me.role);
  const list = useLoader(
    cityCode
      ? () =>
          unwrap(apiClient.GET('/api/cities/{cityCode}/output-growth', { params: { path: { cityCode } } }))
      : null,
    cityCode ?? '',
  );
  const [editing, setEditing] = useState<GrowthEntry | 'new' | null>(null);
  const remove = async (entry: GrowthEntry) => {
    try {
      list.setData(
        await unwrap(
          apiClient.DELETE(path, { params: { path: { cityCode: entry.cityCode, year: entry.year } } }),
        ),
      );
      message.success(`已删除 ${entry.year} 年的增长率，本市e镇该年的指标 23 回到待定`);
    } catch (failure) {
      message.error(errorMessage(failure));
    }
  };
  return (
    <>
      <PageHeader
        title="市级年总产值平均增长率"
        crumbs={[{ title: '月度统计', to: '/stats/monthly' }, { title: '市级增长率' }]}
        subtitle="指标 23 要求e镇年总产值同比增长率高于所在市平均水平 2 个百分点；由市级按统计公报等来源逐年录入。"
        extra={
          mayWrite && cityCode ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              data-testid="growth-add"
            >
              录入年度增长率
            </Button>
          ) : null
        }
      />
      <Card
        title={list.data ? `${list.data.city.name}（本市共 ${list.data.etownCount} 个e镇）` : '增长率'}
        extra={
          cities.length > 1 ? (
            <Space>
              <Typography.Text id="growth-city-label">市</Typography.Text>
              <Select
                aria-labelledby="growth-city-label"
                style={{ width: 160 }}
                value={cityCode}
                onChange={setChosen}
                options={cities.map((city) => ({ value: city.code, label: city.name }))}
                data-testid="growth-city"
              />
            </Space>
          ) : null
        }
      >
        {list.error ? (
          <ErrorState message={list.error} onRetry={() => void list.reload()} />
        ) : list.loading && !list.data ? (
          <LoadingState />
        ) : (
          <Table<GrowthEntry>
            rowKey="year"
            dataSource={list.data?.entries ?? []}
            pagination={false}
            locale={{ emptyText: '尚未录入任何年度的增长率：本市e镇的指标 23 为待定' }}
            data-testid="growth-table"
            columns={growthColumns(mayWrite, setEditing, remove)}
          />
        )}
      </Card>
      {cityCode && (
        <GrowthModal
          cityCode={cityCode}
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={() => void list.reload()}
          onStale={(current) => {
            setEditing(current);
            void list.reload();
          }}
        />
      )}
    </>
  );
}
