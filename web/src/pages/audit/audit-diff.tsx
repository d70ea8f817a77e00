import { Table, Typography } from 'antd';

type FieldChange = { before: unknown; after: unknown };

function isFieldChange(value: unknown): value is FieldChange {
  return typeof value === 'object' && value !== null && 'before' in value && 'after' in value;
}

function renderValue(value: unknown) {
  if (value === null || value === undefined || value === '')
    return <Typography.Text type="secondary">（空）</Typography.Text>;
  if (typeof value === 'string') return <span style={{ whiteSpace: 'pre-wrap' }}>{value}</span>;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return <pre className="json-block">{JSON.stringify(value, null, 2)}</pre>;
}

/** Shows `{ field: { before, after } }` as a table; anything else as formatted JSON. */
export function AuditDiff({ diff }: { diff: Record<string, unknown> | null }) {
  if (!diff || Object.keys(diff).length === 0) {
    return (
      <Typography.Text type="secondary" data-testid="audit-diff-empty">
        无数据变更
      </Typography.Text>
    );
  }
  const entries = Object.entries(diff);
  const changes = entries.filter(([, value]) => isFieldChange(value)) as [string, FieldChange][];
  const others = entries.filter(([, value]) => !isFieldChange(value));
  return (
    <div data-testid="audit-diff">
      {changes.length > 0 && (
        <Table
          size="small"
          rowKey={([field]) => field}
          pagination={false}
          dataSource={changes}
          columns={[
            { title: '字段', key: 'field', width: 180, render: (_v, [field]) => <code>{field}</code> },
            { title: '变更前', key: 'before', render: (_v, [, change]) => renderValue(change.before) },
            { title: '变更后', key: 'after', render: (_v, [, change]) => renderValue(change.after) },
          ]}
        />
      )}
      {others.length > 0 && (
        <pre className="json-block" style={{ marginTop: changes.length ? 8 : 0 }}>
          {JSON.stringify(Object.fromEntries(others), null, 2)}
        </pre>
      )}
    </div>
  );
}
