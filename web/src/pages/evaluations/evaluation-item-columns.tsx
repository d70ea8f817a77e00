import { UploadOutlined } from '@ant-design/icons';
import {
  Button,
  Input,
  InputNumber,
  Popover,
  Space,
  type TableColumnsType,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import type { EvaluationItem } from '../../api/types.ts';
import type { ItemChange } from './evaluation-actions.ts';
import { historyKindLabels, IndicatorStatusTag, reviewStatusLabels } from './evaluation-labels.tsx';

type ExpertScore = EvaluationItem['expertScores'][number];

function formatFact(value: EvaluationItem['facts'][string]): string {
  if (value === null) return '—';
  if (Array.isArray(value)) return value.join('、') || '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

/** The platform's verdict, with the facts and reasons it rests on in a popover. */
function ComputedStatusCell({ status, item }: { status: string; item: EvaluationItem }) {
  return (
    <Popover
      title="数据依据"
      content={
        <div style={{ maxWidth: 420 }}>
          {Object.entries(item.facts).map(([key, value]) => (
            <div key={key}>
              {key}：{formatFact(value)}
            </div>
          ))}
          {item.reasons.map((reason) => (
            <Typography.Paragraph key={reason} type="secondary" style={{ margin: 0 }}>
              {reason}
            </Typography.Paragraph>
          ))}
        </div>
      }
    >
      <span>
        <IndicatorStatusTag status={status} />
      </span>
    </Popover>
  );
}

type EvidenceCellProps = {
  item: EvaluationItem;
  evaluationId: string;
  editable: boolean;
  onUpload: (item: EvaluationItem, file: File) => Promise<void>;
};

function EvidenceCell({ item, evaluationId, editable, onUpload }: EvidenceCellProps) {
  return (
    <Space direction="vertical" size={2}>
      {item.evidence.map((file) => (
        <a
          key={file.id}
          href={`/api/evaluations/${evaluationId}/evidence/${file.id}`}
          title={`SHA-256 ${file.sha256}`}
        >
          {file.fileName}
        </a>
      ))}
      {editable && (
        <Upload
          showUploadList={false}
          accept=".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
          beforeUpload={(file) => {
            void onUpload(item, file);
            return false;
          }}
        >
          <Button size="small" icon={<UploadOutlined />} data-testid={`upload-${item.indicatorNo}`}>
            上传
          </Button>
        </Upload>
      )}
    </Space>
  );
}

type ReviewCellProps = {
  item: EvaluationItem;
  reviewing: boolean;
  returnReason: string | undefined;
  onUndoReturn: (indicatorNo: number) => void;
  onReturn: (item: EvaluationItem) => void;
};

/** The item's review status and history; while reviewing, marking it to be returned or undoing that. */
function ReviewCell({ item, reviewing, returnReason, onUndoReturn, onReturn }: ReviewCellProps) {
  return (
    <Space direction="vertical" size={2}>
      <Space size={4}>
        <Tag
          color={
            item.reviewStatus === 'returned' ? 'red' : item.reviewStatus === 'approved' ? 'green' : 'default'
          }
          data-testid={`review-status-${item.indicatorNo}`}
        >
          {reviewStatusLabels[item.reviewStatus]}
        </Tag>
        {item.history.length > 0 && (
          <Popover
            title="审核记录"
            content={
              <Timeline
                items={item.history.map((entry) => ({
                  key: `${entry.kind}-${entry.at}`,
                  children: `${new Date(entry.at).toLocaleString('zh-CN')} ${entry.actorName} ${
                    historyKindLabels[entry.kind] ?? entry.kind
                  }${entry.reason ? `：${entry.reason}` : ''}`,
                }))}
              />
            }
          >
            <Typography.Link data-testid={`history-${item.indicatorNo}`}>记录</Typography.Link>
          </Popover>
        )}
      </Space>
      {item.returnReason && (
        <Typography.Text type="danger" data-testid={`return-reason-${item.indicatorNo}`}>
          退回原因：{item.returnReason}
        </Typography.Text>
      )}
      {reviewing &&
        item.reviewStatus === 'pending' &&
        (returnReason ? (
          <Space size={4}>
            <Typography.Text type="danger">将退回：{returnReason}</Typography.Text>
            <Typography.Link onClick={() => onUndoReturn(item.indicatorNo)}>撤销</Typography.Link>
          </Space>
        ) : (
          <Button
            size="small"
            danger
            data-testid={`return-item-${item.indicatorNo}`}
            onClick={() => onReturn(item)}
          >
            退回
          </Button>
        ))}
    </Space>
  );
}

type ExpertScoreInputsProps = {
  item: EvaluationItem;
  loadedGeneration: number;
  myScore: (item: EvaluationItem) => ExpertScore | undefined;
  saveExpertScore: (item: EvaluationItem, score: number | null, finding: string | null) => void;
};

function ExpertScoreInputs({ item, loadedGeneration, myScore, saveExpertScore }: ExpertScoreInputsProps) {
  return (
    <Space direction="vertical" size={2}>
      <InputNumber
        key={`score-${loadedGeneration}`}
        min={0}
        max={100}
        precision={0}
        placeholder="评分"
        defaultValue={myScore(item)?.score}
        data-testid={`expert-score-${item.indicatorNo}`}
        onBlur={(event) => {
          const text = event.target.value.trim();
          const score = text === '' ? null : Number(text);
          if (score !== null && score !== myScore(item)?.score)
            saveExpertScore(item, score, myScore(item)?.finding ?? null);
        }}
      />
      <Input
        key={`finding-${loadedGeneration}`}
        placeholder="评审意见"
        defaultValue={myScore(item)?.finding ?? ''}
        data-testid={`expert-finding-${item.indicatorNo}`}
        onBlur={(event) => {
          const finding = event.target.value.trim() || null;
          const score = myScore(item)?.score;
          if (score !== undefined && finding !== (myScore(item)?.finding ?? null))
            saveExpertScore(item, score, finding);
        }}
      />
    </Space>
  );
}

/** The panel's scores, the outliers marked, and their mean. */
function PanelScores({ item }: { item: EvaluationItem }) {
  return (
    <Space direction="vertical" size={0}>
      {item.expertScores.map((score) => {
        const outlier = item.panel?.outlierExpertIds.includes(score.expertId);
        return (
          <Typography.Text
            key={score.expertId}
            type={outlier ? 'danger' : undefined}
            strong={outlier}
            data-testid={outlier ? 'outlier-score' : undefined}
          >
            {score.expertName}：{score.score}
            {outlier ? '（离群）' : ''}
            {score.finding ? ` · ${score.finding}` : ''}
          </Typography.Text>
        );
      })}
      {item.panel?.mean != null && (
        <Typography.Text type="secondary" data-testid={`panel-${item.indicatorNo}`}>
          均值 {item.panel.mean.toFixed(1)}（{item.panel.count} 位）
        </Typography.Text>
      )}
    </Space>
  );
}

export type ItemColumnOptions = {
  evaluationId: string;
  itemEditable: (item: EvaluationItem) => boolean;
  loadedGeneration: number;
  saveItem: (item: EvaluationItem, change: ItemChange) => Promise<boolean>;
  uploadEvidence: (item: EvaluationItem, file: File) => Promise<void>;
  reviewing: boolean;
  returns: Record<number, string>;
  onUndoReturn: (indicatorNo: number) => void;
  onReturn: (item: EvaluationItem) => void;
  expertScoring: boolean;
  myScore: (item: EvaluationItem) => ExpertScore | undefined;
  saveExpertScore: (item: EvaluationItem, score: number | null, finding: string | null) => void;
};

/** The 28 indicators' columns: the verdict, the county's self-assessment, the review and the experts' scores. */
export function evaluationItemColumns(options: ItemColumnOptions): TableColumnsType<EvaluationItem> {
  return [
    { title: '序号', dataIndex: 'indicatorNo', width: 60, fixed: 'left' },
    { title: '指标', dataIndex: 'title', width: 180, fixed: 'left' },
    {
      title: '平台判定',
      dataIndex: 'computedStatus',
      width: 90,
      render: (status: string, item) => <ComputedStatusCell status={status} item={item} />,
    },
    {
      title: '自评分',
      width: 100,
      render: (_: unknown, item) =>
        options.itemEditable(item) ? (
          <InputNumber
            key={options.loadedGeneration}
            min={0}
            max={100}
            precision={0}
            defaultValue={item.selfScore ?? undefined}
            data-testid={`self-score-${item.indicatorNo}`}
            onBlur={(event) => {
              const text = event.target.value.trim();
              const score = text === '' ? null : Number(text);
              if (score !== item.selfScore) void options.saveItem(item, { score });
            }}
          />
        ) : (
          (item.selfScore ?? '—')
        ),
    },
    {
      title: '自评说明',
      width: 180,
      render: (_: unknown, item) =>
        options.itemEditable(item) ? (
          <Input.TextArea
            key={options.loadedGeneration}
            autoSize={{ minRows: 1, maxRows: 4 }}
            defaultValue={item.statement ?? ''}
            data-testid={`statement-${item.indicatorNo}`}
            onBlur={(event) => {
              const statement = event.target.value.trim() || null;
              if (statement !== item.statement) void options.saveItem(item, { statement });
            }}
          />
        ) : (
          (item.statement ?? '—')
        ),
    },
    {
      title: '证明材料',
      width: 160,
      render: (_: unknown, item) => (
        <EvidenceCell
          item={item}
          evaluationId={options.evaluationId}
          editable={options.itemEditable(item)}
          onUpload={options.uploadEvidence}
        />
      ),
    },
    {
      title: '审核',
      width: 170,
      render: (_: unknown, item) => (
        <ReviewCell
          item={item}
          reviewing={options.reviewing}
          returnReason={options.returns[item.indicatorNo]}
          onUndoReturn={options.onUndoReturn}
          onReturn={options.onReturn}
        />
      ),
    },
    {
      title: '专家评分',
      width: 220,
      render: (_: unknown, item) =>
        options.expertScoring ? (
          <ExpertScoreInputs
            item={item}
            loadedGeneration={options.loadedGeneration}
            myScore={options.myScore}
            saveExpertScore={options.saveExpertScore}
          />
        ) : (
          <PanelScores item={item} />
        ),
    },
  ];
}
