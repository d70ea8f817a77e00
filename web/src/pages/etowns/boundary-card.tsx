import {
  AimOutlined,
  DeleteOutlined,
  EditOutlined,
  UndoOutlined,
  UploadOutlined,
  ZoomInOutlined,
  ZoomOutOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  InputNumber,
  Popconfirm,
  Space,
  Statistic,
  Typography,
  Upload,
} from 'antd';
import { useMemo, useState } from 'react';
import { contiguityProblem } from '../../../../src/indicators/boundary-contiguity.ts';
import { apiClient, unwrap } from '../../api/client.ts';
import type { Boundary, EtownDetail } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { BoundaryMap, defaultMapCenter, fitView, type MapView } from '../../components/boundary-map.tsx';
import { staleRecord } from '../../components/form-modal.tsx';
import {
  areaKm2,
  BoundaryFileError,
  boundaryCenter,
  boundaryPoints,
  formatKm2,
  type LonLat,
  parseBoundaryFile,
  polygonFromPoints,
} from '../../geo.ts';

type Mode =
  | { kind: 'view' }
  | { kind: 'upload'; boundary: Boundary; fileName: string; notes: string[] }
  | { kind: 'draw' };

type BoundaryCardProps = {
  etown: EtownDetail;
  editable: boolean;
  onSaved: (etown: EtownDetail) => void;
  onConflict: () => void;
};

const MAP_HEIGHT = 420;

/** The card's editing state: viewing, previewing an uploaded file, or drawing; and saving the result. */
function useBoundaryEditor(
  etown: EtownDetail,
  onSaved: (etown: EtownDetail) => void,
  onConflict: () => void,
) {
  const { message } = App.useApp();
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [draft, setDraft] = useState<LonLat[]>([]);
  const [view, setView] = useState<MapView | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);

  const drawnBoundary = useMemo(() => polygonFromPoints(draft), [draft]);
  const pending = mode.kind === 'upload' ? mode.boundary : mode.kind === 'draw' ? drawnBoundary : null;
  const pendingArea = pending ? areaKm2(pending) : null;
  // The same rule the evaluation of #24 applies, shown before the boundary is saved.
  const pendingProblem = useMemo(() => (pending ? contiguityProblem(pending) : null), [pending]);

  const startDrawing = () => {
    const aspect = 800 / MAP_HEIGHT;
    const fitted = fitView(
      boundaryPoints(etown.boundary),
      aspect,
      boundaryCenter(etown.boundary) ?? defaultMapCenter,
    );
    setView(fitted);
    setDraft([]);
    setFileError(null);
    setMode({ kind: 'draw' });
  };

  const cancel = () => {
    setMode({ kind: 'view' });
    setDraft([]);
    setView(undefined);
    setFileError(null);
  };

  const save = async (boundary: Boundary | null) => {
    setSaving(true);
    try {
      const saved = await unwrap(
        apiClient.PATCH('/api/etowns/{code}', {
          params: { path: { code: etown.code } },
          body: { version: etown.version, boundary },
        }),
      );
      message.success(boundary ? '边界已保存' : '边界已清除');
      onSaved(saved);
      cancel();
    } catch (failure) {
      if (staleRecord(failure)) onConflict();
      else message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  const readFile = async (file: File) => {
    setFileError(null);
    if (file.size > 5 * 1024 * 1024) {
      setFileError('文件过大：边界文件不超过 5 MB');
      return;
    }
    try {
      const parsed = parseBoundaryFile(await file.text());
      setDraft([]);
      setView(undefined);
      setMode({ kind: 'upload', boundary: parsed.boundary, fileName: file.name, notes: parsed.notes });
    } catch (failure) {
      setFileError(failure instanceof BoundaryFileError ? failure.message : '无法读取文件');
    }
  };

  const zoom = (factor: number) =>
    setView((current) =>
      current ? { ...current, latSpan: Math.max(0.0005, current.latSpan * factor) } : current,
    );

  return {
    mode,
    draft,
    setDraft,
    view,
    setView,
    saving,
    fileError,
    setFileError,
    drawnBoundary,
    pendingArea,
    pendingProblem,
    startDrawing,
    cancel,
    save,
    readFile,
    zoom,
  };
}

type BoundaryEditor = ReturnType<typeof useBoundaryEditor>;
type EditorProps = { etown: EtownDetail; editor: BoundaryEditor };

function BoundaryActions({ etown, editor }: EditorProps) {
  const { readFile, startDrawing, save } = editor;
  return (
    <Space>
      <Upload
        accept=".geojson,.json,application/geo+json,application/json"
        showUploadList={false}
        beforeUpload={(file) => {
          void readFile(file);
          return false;
        }}
      >
        <Button size="small" icon={<UploadOutlined />} data-testid="boundary-upload">
          上传边界文件
        </Button>
      </Upload>
      <Button size="small" icon={<EditOutlined />} onClick={startDrawing} data-testid="boundary-draw">
        在图上绘制
      </Button>
      {etown.boundary && (
        <Popconfirm
          title="确定清除已保存的边界？"
          okText="清除"
          cancelText="取消"
          onConfirm={() => save(null)}
        >
          <Button size="small" danger icon={<DeleteOutlined />}>
            清除
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}

type AreaStatisticsProps = {
  declared: number | null;
  computed: number | null;
  mode: Mode;
  pendingArea: number | null;
};

function AreaStatistics({ declared, computed, mode, pendingArea }: AreaStatisticsProps) {
  return (
    <Flex gap={24} wrap style={{ marginBottom: 12 }}>
      <Statistic
        title="核心区面积（申报）"
        value={declared === null ? '—' : declared.toFixed(4)}
        suffix={declared === null ? undefined : '平方公里'}
        data-testid="declared-area"
      />
      <Statistic
        title="边界测算面积"
        value={computed === null ? '—' : computed.toFixed(4)}
        suffix={computed === null ? undefined : '平方公里'}
        data-testid="computed-area"
      />
      {pendingArea !== null && (
        <Statistic
          title={mode.kind === 'draw' ? '绘制中面积' : '待保存边界面积'}
          value={pendingArea.toFixed(4)}
          suffix="平方公里"
          styles={{ content: { color: '#d46b08' } }}
          data-testid="pending-area"
        />
      )}
    </Flex>
  );
}

type BoundaryWarningsProps = {
  etown: EtownDetail;
  mismatch: boolean;
  mode: Mode;
  pendingProblem: string | null;
};

function BoundaryWarnings({ etown, mismatch, mode, pendingProblem }: BoundaryWarningsProps) {
  return (
    <>
      {mismatch && mode.kind === 'view' && (
        <Alert
          type="warning"
          showIcon
          title="边界测算面积与申报的核心区面积相差超过 10%，请核对边界或申报数据。"
          style={{ marginBottom: 12 }}
        />
      )}
      {mode.kind === 'view' && etown.boundaryWarnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={`${etown.boundaryWarnings.join('；')}：指标24（建设规模）将判为未达标，请核对边界。`}
          style={{ marginBottom: 12 }}
          data-testid="boundary-warning"
        />
      )}
      {pendingProblem && (
        <Alert
          type="warning"
          showIcon
          title={`${pendingProblem}。保存后指标24（建设规模）将判为未达标；相邻地块须有公共边或公共点。`}
          style={{ marginBottom: 12 }}
          data-testid="pending-boundary-warning"
        />
      )}
    </>
  );
}

function UploadPreviewAlert({
  mode,
  editor,
}: {
  mode: Extract<Mode, { kind: 'upload' }>;
  editor: BoundaryEditor;
}) {
  const { pendingArea, saving, save, cancel } = editor;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 12 }}
      title={`已读取 ${mode.fileName}，橙色虚线为新边界（${formatKm2(pendingArea)}），确认后保存。`}
      description={mode.notes.length ? mode.notes.join('；') : undefined}
      action={
        <Space orientation="vertical">
          <Button type="primary" size="small" loading={saving} onClick={() => void save(mode.boundary)}>
            保存边界
          </Button>
          <Button size="small" onClick={cancel}>
            取消
          </Button>
        </Space>
      }
    />
  );
}

function DrawToolbar({ etown, editor }: EditorProps) {
  const { draft, setDraft, view, setView, zoom, drawnBoundary, saving, save, cancel } = editor;
  return (
    <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }} data-testid="draw-toolbar">
      <Typography.Text>依次点击边界拐点（至少 3 个），系统自动闭合。已点 {draft.length} 个。</Typography.Text>
      <Button
        size="small"
        icon={<UndoOutlined />}
        disabled={!draft.length}
        onClick={() => setDraft(draft.slice(0, -1))}
      >
        撤销
      </Button>
      <Button size="small" disabled={!draft.length} onClick={() => setDraft([])}>
        清空
      </Button>
      <Button size="small" icon={<ZoomInOutlined />} onClick={() => zoom(0.5)} aria-label="放大" />
      <Button size="small" icon={<ZoomOutOutlined />} onClick={() => zoom(2)} aria-label="缩小" />
      {!etown.boundary && view && (
        <Space size={4}>
          <AimOutlined />
          <InputNumber
            size="small"
            value={view.center[0]}
            step={0.01}
            precision={5}
            min={73}
            max={136}
            onChange={(lon) => lon !== null && setView({ ...view, center: [lon, view.center[1]] })}
            suffix="°E"
            style={{ width: 150 }}
          />
          <InputNumber
            size="small"
            value={view.center[1]}
            step={0.01}
            precision={5}
            min={3}
            max={54}
            onChange={(lat) => lat !== null && setView({ ...view, center: [view.center[0], lat] })}
            suffix="°N"
            style={{ width: 140 }}
          />
        </Space>
      )}
      <Button
        type="primary"
        size="small"
        disabled={!drawnBoundary}
        loading={saving}
        onClick={() => drawnBoundary && void save(drawnBoundary)}
        data-testid="draw-save"
      >
        完成并保存
      </Button>
      <Button size="small" onClick={cancel}>
        取消
      </Button>
    </Flex>
  );
}

export function BoundaryCard({ etown, editable, onSaved, onConflict }: BoundaryCardProps) {
  const editor = useBoundaryEditor(etown, onSaved, onConflict);
  const { mode, draft, setDraft, view, fileError, setFileError } = editor;

  const declared = etown.landAreaKm2 === null ? null : Number(etown.landAreaKm2);
  const computed = etown.boundaryAreaKm2 === null ? null : Number(etown.boundaryAreaKm2);
  const mismatch = declared && computed ? Math.abs(computed - declared) / declared > 0.1 : false;

  return (
    <Card
      title="边界范围"
      size="small"
      data-testid="boundary-card"
      extra={editable && mode.kind === 'view' && <BoundaryActions etown={etown} editor={editor} />}
    >
      <AreaStatistics declared={declared} computed={computed} mode={mode} pendingArea={editor.pendingArea} />
      <BoundaryWarnings
        etown={etown}
        mismatch={mismatch}
        mode={mode}
        pendingProblem={editor.pendingProblem}
      />
      {fileError && (
        <Alert
          type="error"
          showIcon
          title={`边界文件无法使用：${fileError}`}
          closable={{ onClose: () => setFileError(null) }}
          style={{ marginBottom: 12 }}
          data-testid="boundary-file-error"
        />
      )}
      {mode.kind === 'upload' && <UploadPreviewAlert mode={mode} editor={editor} />}
      {mode.kind === 'draw' && <DrawToolbar etown={etown} editor={editor} />}
      <BoundaryMap
        boundary={etown.boundary}
        preview={mode.kind === 'upload' ? mode.boundary : null}
        draft={mode.kind === 'draw' ? draft : []}
        view={mode.kind === 'draw' ? view : undefined}
        drawing={mode.kind === 'draw'}
        onAddPoint={(point) => setDraft((points) => [...points, point])}
        height={MAP_HEIGHT}
        label={etown.name}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
        示意图按经纬度绘制（无底图），仅用于核对边界形状与面积；面积按椭球面计算。
      </Typography.Paragraph>
    </Card>
  );
}
