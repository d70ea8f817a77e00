import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { TraineeCategory, TraineeSummary } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { useLoader } from '../../use-loader.ts';
import { useEtownOptions } from '../projects/project-list-page.tsx';
import { TraineeFormModal } from './trainee-form-modal.tsx';
import { TraineeImportModal } from './trainee-import-modal.tsx';
import {
  HIDDEN_CATEGORY_LABEL,
  traineeCategoryColors,
  traineeCategoryLabels,
  traineeGenderLabels,
} from './trainee-labels.ts';

export function TraineeCategoryTag({
  trainee,
}: {
  trainee: Pick<TraineeSummary, 'category' | 'categoryHidden'>;
}) {
  if (trainee.categoryHidden || !trainee.category)
    return <Typography.Text type="secondary">{HIDDEN_CATEGORY_LABEL}</Typography.Text>;
  return <Tag color={traineeCategoryColors[trainee.category]}>{traineeCategoryLabels[trainee.category]}</Tag>;
}

const columns: TableColumnsType<TraineeSummary> = [
  {
    title: '姓名',
    dataIndex: 'name',
    width: 180,
    fixed: 'start',
    render: (name: string, trainee) => (
      <Link to={`/trainees/${trainee.id}`} data-testid={`trainee-link-${trainee.id}`}>
        {name}
      </Link>
    ),
  },
  {
    title: '性别 / 出生年份',
    width: 130,
    render: (_, trainee) => `${traineeGenderLabels[trainee.gender]} · ${trainee.birthYear}`,
  },
  { title: '身份证号', dataIndex: 'idNumberMasked', width: 190 },
  { title: '手机号', dataIndex: 'phoneMasked', width: 130, render: (value: string | null) => value ?? '—' },
  { title: '所在e镇', dataIndex: 'etownName', width: 140 },
  { title: '所在村', dataIndex: 'villageName', width: 110, render: (value: string | null) => value ?? '—' },
  { title: '人员类别', width: 150, render: (_, trainee) => <TraineeCategoryTag trainee={trainee} /> },
  {
    title: '技能',
    dataIndex: 'skills',
    render: (skills: string[]) => (skills.length ? skills.join('、') : '—'),
  },
];

function useTraineeFilters() {
  const [etownCode, setEtownCode] = useState<string | undefined>();
  const [category, setCategory] = useState<TraineeCategory | undefined>();
  const [keyword, setKeyword] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const resetPage =
    <T,>(setter: (value: T) => void) =>
    (value: T) => {
      setter(value);
      setPage(1);
    };
  return {
    etownCode,
    category,
    keyword,
    page,
    pageSize,
    setPage,
    setPageSize,
    onEtownChange: resetPage(setEtownCode),
    onCategoryChange: resetPage(setCategory),
    onKeywordChange: resetPage(setKeyword),
  };
}

type TraineeFilterState = ReturnType<typeof useTraineeFilters>;
type Option = { value: string; label: string };

function TraineeFilters({
  filters,
  etownOptions,
  categoryOptions,
  onCreate,
  onImport,
}: {
  filters: TraineeFilterState;
  etownOptions: Option[];
  categoryOptions: Option[];
  onCreate?: () => void;
  onImport?: () => void;
}) {
  return (
    <Space style={{ marginBottom: 16 }} wrap size={[12, 12]}>
      <Input.Search
        placeholder="按姓名、所在村或完整身份证号查找"
        allowClear
        onSearch={filters.onKeywordChange}
        style={{ width: 300 }}
        data-testid="trainee-search"
      />
      <Select
        allowClear
        placeholder="全部e镇"
        style={{ width: 200 }}
        value={filters.etownCode}
        onChange={filters.onEtownChange}
        options={etownOptions}
      />
      <Select
        allowClear
        placeholder="全部类别"
        style={{ width: 150 }}
        value={filters.category}
        onChange={filters.onCategoryChange}
        options={categoryOptions}
        data-testid="trainee-filter-category"
      />
      {onCreate && (
        <Button type="primary" icon={<PlusOutlined />} onClick={onCreate} data-testid="trainee-create">
          建立学员档案
        </Button>
      )}
      {onImport && (
        <Button icon={<UploadOutlined />} onClick={onImport} data-testid="trainee-import-open">
          导入学员名单
        </Button>
      )}
    </Space>
  );
}

/** A whole 18-character ID number is looked up exactly (blind index); anything else searches names and villages. */
const isWholeIdNumber = (text: string) => /^\d{17}[\dXx]$/.test(text);

export function TraineeListPage() {
  const me = useMe();
  const navigate = useNavigate();
  const { current, currentCode, loading: regionsLoading } = useRegions();
  const filters = useTraineeFilters();
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const writable = can.writeTrainees(me.role);
  const etownOptions = useEtownOptions(true);
  const typed = filters.keyword.trim();
  const query = {
    regionCode: filters.etownCode ?? currentCode ?? undefined,
    category: filters.category,
    keyword: typed && !isWholeIdNumber(typed) ? typed : undefined,
    idNumber: isWholeIdNumber(typed) ? typed : undefined,
    page: filters.page,
    pageSize: filters.pageSize,
  };
  const list = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/trainees', { params: { query } })),
    JSON.stringify(query) + regionsLoading,
  );
  const categoryOptions = Object.entries(traineeCategoryLabels)
    .filter(([value]) => value !== 'poverty_alleviated' || can.readPovertyStatus(me.role))
    .map(([value, label]) => ({ value, label }));

  return (
    <>
      <PageHeader
        title="学员档案"
        crumbs={[{ title: '人才培训' }, { title: '学员档案' }, ...(current ? [{ title: current.name }] : [])]}
        subtitle="一人一档：身份证号与手机号加密保存、脱敏显示；查看完整号码须有权限，并记入审计日志"
      />
      <Card>
        <TraineeFilters
          filters={filters}
          etownOptions={etownOptions}
          categoryOptions={categoryOptions}
          onCreate={writable ? () => setCreating(true) : undefined}
          onImport={writable ? () => setImporting(true) : undefined}
        />
        {list.error ? (
          <ErrorState message={list.error} onRetry={list.reload} />
        ) : (
          <Table<TraineeSummary>
            rowKey="id"
            size="middle"
            loading={list.loading || regionsLoading}
            dataSource={list.data?.items ?? []}
            data-testid="trainee-table"
            locale={{ emptyText: `${current?.name ?? '当前区划'}还没有学员档案` }}
            scroll={{ x: 1100 }}
            onRow={(trainee) => ({ onDoubleClick: () => navigate(`/trainees/${trainee.id}`) })}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (total) => `共 ${total} 份档案`,
              onChange: (next, size) => {
                filters.setPage(size === filters.pageSize ? next : 1);
                filters.setPageSize(size);
              },
            }}
            columns={columns}
          />
        )}
      </Card>
      {writable && (
        <TraineeFormModal
          open={creating}
          onClose={() => setCreating(false)}
          etownOptions={etownOptions}
          defaultEtownCode={filters.etownCode}
          onSaved={(trainee) => navigate(`/trainees/${trainee.id}`)}
        />
      )}
      {writable && (
        <TraineeImportModal
          open={importing}
          onClose={() => setImporting(false)}
          etownOptions={etownOptions}
          onImported={() => void list.reload()}
        />
      )}
    </>
  );
}
