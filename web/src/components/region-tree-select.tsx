import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import type { RegionLevel, RegionNode } from '../api/types.ts';
import { levelLabels } from '../labels.ts';

type TreeOption = {
  value: string;
  title: string;
  label: string;
  disabled?: boolean;
  children?: TreeOption[];
};

function toOptions(
  nodes: RegionNode[],
  selectable: RegionLevel[] | undefined,
  maxLevel?: RegionLevel,
): TreeOption[] {
  const depth: Record<RegionLevel, number> = { province: 0, city: 1, county: 2, etown: 3 };
  return nodes
    .filter((node) => !maxLevel || depth[node.level] <= depth[maxLevel])
    .map((node) => ({
      value: node.code,
      title: `${node.name}（${levelLabels[node.level]}）`,
      label: node.name,
      disabled: selectable ? !selectable.includes(node.level) : false,
      children: node.children.length ? toOptions(node.children, selectable, maxLevel) : undefined,
    }));
}

type RegionTreeSelectProps = {
  roots: RegionNode[];
  value?: string | string[] | null;
  onChange?: (value: string | string[]) => void;
  /** Levels that may be picked; others are shown for orientation only. */
  selectable?: RegionLevel[];
  /** Deepest level shown in the tree. */
  maxLevel?: RegionLevel;
  multiple?: boolean;
  placeholder?: string;
  style?: React.CSSProperties;
  testId?: string;
  loading?: boolean;
};

export function RegionTreeSelect({
  roots,
  value,
  onChange,
  selectable,
  maxLevel,
  multiple,
  placeholder = '选择区划',
  style,
  testId,
  loading,
}: RegionTreeSelectProps) {
  const treeData = useMemo(() => toOptions(roots, selectable, maxLevel), [roots, selectable, maxLevel]);
  const expanded = useMemo(() => roots.map((root) => root.code), [roots]);
  // antd does not forward data-* attributes to the select's DOM, so the test id sits on a wrapper.
  return (
    <div data-testid={testId} style={{ width: '100%', ...style }}>
      <TreeSelect
        treeData={treeData}
        value={value ?? undefined}
        onChange={(next) => onChange?.(next)}
        multiple={multiple}
        showSearch={{ treeNodeFilterProp: 'title' }}
        treeNodeLabelProp="label"
        treeDefaultExpandedKeys={expanded}
        placeholder={placeholder}
        style={{ width: '100%' }}
        loading={loading}
        allowClear={multiple}
        popupMatchSelectWidth={false}
      />
    </div>
  );
}
