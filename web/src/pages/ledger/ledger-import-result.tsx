import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Progress, Space, Table, Typography } from 'antd';
import type { Job, LedgerImportProblem, LedgerRefusedItem } from '../../api/types.ts';
import { jobPercent } from '../../use-job.ts';
import { ledgerListLabels } from './ledger-labels.ts';

const where = (problem: LedgerImportProblem) =>
  problem.sheet
    ? `${problem.sheet}${problem.row === null ? '' : ` 第 ${problem.row} 行`}${problem.column === null ? '' : ` ${problem.column} 列`}`
    : problem.path || '整个文件';

function ProblemTable({ problems, testId }: { problems: LedgerImportProblem[]; testId: string }) {
  return (
    <Table<LedgerImportProblem & { key: number }>
      size="small"
      data-testid={testId}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      dataSource={problems.map((problem, key) => ({ ...problem, key }))}
      columns={[
        { title: '位置', width: 200, render: (_: unknown, problem) => where(problem) },
        { title: '问题', dataIndex: 'message' },
      ]}
    />
  );
}

const refusedListLabels: Record<LedgerRefusedItem['list'], string> = {
  etown: '基本信息',
  documents: '制度文件',
  entities: '市场主体',
  monthlyStats: '月度统计',
  complianceIncidents: '违规事件',
};
const refusedActionLabels: Record<LedgerRefusedItem['action'], string> = {
  add: '新增',
  change: '修改',
  remove: '删除',
};

/** Where the refused item is: its list and row in the file, or only the list when the file omits it. */
const placeOf = (item: LedgerRefusedItem) => {
  const row = /\[(\d+)\]$/.exec(item.path);
  return row ? `${refusedListLabels[item.list]} 第 ${Number(row[1]) + 1} 条` : refusedListLabels[item.list];
};

/** What the import refused to change in records that another role registers or reviews. */
function RefusedItems({ job, items, total }: { job: Job; items: LedgerRefusedItem[]; total: number }) {
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="import-refused">
      <Alert
        type="warning"
        showIcon
        message={`${total} 项未导入：属于其他角色登记或审核的数据`}
        description="市场主体及标签由县级主体库维护，月度统计由企业填报、县级审核，违规事件由县级登记，领导小组文件以领导小组登记为准，市级增长率由市级录入。台账导入不更改这些数据；如需更改，请由负责的角色在平台中办理。"
        action={
          job.file ? (
            <Button
              icon={<DownloadOutlined />}
              href={`/api/jobs/${job.id}/file`}
              download
              data-testid="download-import-receipt"
            >
              下载导入回执
            </Button>
          ) : undefined
        }
      />
      <Table<LedgerRefusedItem & { key: number }>
        size="small"
        data-testid="refused-items"
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        dataSource={items.map((item, key) => ({ ...item, key }))}
        columns={[
          { title: '位置', width: 140, render: (_: unknown, item) => placeOf(item) },
          { title: '操作', width: 64, render: (_: unknown, item) => refusedActionLabels[item.action] },
          { title: '项目', dataIndex: 'item', width: 260 },
          { title: '拒绝原因', dataIndex: 'reason' },
        ]}
      />
      {total > items.length && (
        <Typography.Text type="secondary">
          共 {total} 项，此处列出前 {items.length} 项，完整清单见导入回执。
        </Typography.Text>
      )}
    </Space>
  );
}

/** A ledger import job: its progress while it runs, then what was written or why nothing was. */
export function LedgerImportResult({ job }: { job: Job }) {
  const summary = job.kind === 'ledger.import' ? job.summary : null;
  if (job.status === 'running') {
    return (
      <div data-testid="import-progress">
        <Typography.Text>{job.stage || '处理中'}……</Typography.Text>
        <Progress percent={jobPercent(job)} status="active" />
      </div>
    );
  }
  if (job.status === 'succeeded' && summary && 'counts' in summary) {
    return (
      <Space direction="vertical" style={{ width: '100%' }} data-testid="import-succeeded">
        <Alert
          type="success"
          showIcon
          message={`已导入 ${summary.year} 年台账`}
          description="该e镇的台账清单（制度文件、投资、设施、品牌、产品、培训等）和面积、边界、主导产业已按文件写入，指标看板即时更新。"
        />
        {(summary.refused ?? []).length > 0 && (
          <RefusedItems
            job={job}
            items={summary.refused ?? []}
            total={summary.refusedCount ?? summary.refused?.length ?? 0}
          />
        )}
        <Descriptions size="small" bordered column={{ xs: 1, sm: 2, md: 3 }}>
          {Object.entries(summary.counts).map(([list, count]) => (
            <Descriptions.Item key={list} label={`文件中的${ledgerListLabels[list] ?? list}`}>
              {count} 行
            </Descriptions.Item>
          ))}
        </Descriptions>
        {summary.keptEntities.length > 0 && (
          <Typography.Text type="secondary">
            以下市场主体已开通企业账号、文件中未列出，予以保留：{summary.keptEntities.join('、')}
          </Typography.Text>
        )}
        {(summary.keptBrands ?? []).length > 0 && (
          <Typography.Text type="secondary" data-testid="kept-brands">
            以下品牌已有授权或子品牌、文件中未列出，予以保留：{summary.keptBrands?.join('、')}
          </Typography.Text>
        )}
        {(summary.keptProducts ?? []).length > 0 && (
          <Typography.Text type="secondary" data-testid="kept-products">
            以下产品已有批次（可能已赋码）、文件中未列出，予以保留：{summary.keptProducts?.join('、')}
          </Typography.Text>
        )}
        {(summary.keptInvestments ?? []).length > 0 && (
          <Typography.Text type="secondary" data-testid="kept-investments">
            以下投资已关联平台项目、文件中未列出，予以保留：{summary.keptInvestments?.join('、')}
          </Typography.Text>
        )}
        {(summary.keptFacilities ?? []).length > 0 && (
          <Typography.Text type="secondary" data-testid="kept-facilities">
            以下设施已关联平台项目、文件中未列出，予以保留：{summary.keptFacilities?.join('、')}
          </Typography.Text>
        )}
        {summary.warnings.length > 0 && (
          <>
            <Typography.Text type="warning">
              提示 {summary.warnings.length} 条（不影响导入）：
            </Typography.Text>
            <ProblemTable problems={summary.warnings} testId="import-warnings" />
          </>
        )}
      </Space>
    );
  }
  const problems = summary && 'problems' in summary ? summary.problems : [];
  const problemCount = summary && 'problemCount' in summary ? summary.problemCount : problems.length;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="import-failed">
      <Alert
        type="error"
        showIcon
        message={job.error?.message ?? '导入失败'}
        description="没有写入任何数据。请按错误回执逐条改正原文件后重新上传。"
        action={
          job.file ? (
            <Button
              icon={<DownloadOutlined />}
              href={`/api/jobs/${job.id}/file`}
              download
              data-testid="download-receipt"
            >
              下载错误回执
            </Button>
          ) : undefined
        }
      />
      {problems.length > 0 && <ProblemTable problems={problems} testId="import-problems" />}
      {problemCount > problems.length && (
        <Typography.Text type="secondary">
          共 {problemCount} 处问题，此处列出前 {problems.length} 处，完整清单见错误回执。
        </Typography.Text>
      )}
    </Space>
  );
}
