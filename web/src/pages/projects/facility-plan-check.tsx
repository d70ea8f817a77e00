import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Flex, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { currentProvinceCatalog, type FacilityCondition } from '../../../../src/indicators/catalog.ts';
import {
  compare,
  formatExact,
  formatGrouped,
  parseDecimal,
  type Rational,
  subtract,
} from '../../../../src/indicators/exact.ts';
import type { Facility, FacilityKind, FacilityPlanCheck, ScorecardIndicator } from '../../api/types.ts';
import { IndicatorStatusTag } from '../evaluations/evaluation-labels.tsx';
import { facilityFeatureLabels } from './project-types.ts';

export const squareMetres = (value: Rational) => `${formatGrouped(formatExact(value))} 平方米`;
export const featureNames = (features: readonly string[]) =>
  features.map((feature) => facilityFeatureLabels[feature] ?? feature).join('、');

/**
 * The catalog's facility conditions for a kind, as the server checks them (the province catalog's
 * newest version); they give the bounds and zones the server's verdict and reasons speak of.
 */
function planConditionsFor(kind: FacilityKind): { indicatorNo: number; condition: FacilityCondition }[] {
  return currentProvinceCatalog().indicators.flatMap((indicator) =>
    indicator.conditions.flatMap((condition) =>
      condition.type === 'facility' && condition.kind === kind
        ? [{ indicatorNo: indicator.no, condition }]
        : [],
    ),
  );
}

/** "不少于 1,000 平方米", "100–300 平方米" — the plan's area rule in words. */
function areaRequirement(condition: FacilityCondition): string | null {
  const { minAreaM2: min, maxAreaM2: max } = condition;
  const shown = (text: string) => formatGrouped(text);
  if (min !== undefined && max !== undefined) return `${shown(min)}–${shown(max)} 平方米（含）`;
  if (min !== undefined) return `不少于 ${shown(min)} 平方米`;
  if (max !== undefined) return `不多于 ${shown(max)} 平方米`;
  return null;
}

/** What the plan asks of facilities of this kind, for the form's hints. */
export function planHint(kind: FacilityKind | undefined, part: 'area' | 'features'): string | undefined {
  if (!kind) return undefined;
  const hints = planConditionsFor(kind).flatMap(({ indicatorNo, condition }) => {
    const rule =
      part === 'area'
        ? areaRequirement(condition)
        : condition.features.length > 0
          ? `须设${featureNames(condition.features)}`
          : null;
    return rule ? [`指标${indicatorNo}：${rule}`] : [];
  });
  return hints.length > 0 ? hints.join('；') : undefined;
}

type PlanCheckLine = {
  key: string;
  item: string;
  required: string;
  actual: ReactNode;
  outcome: string;
  met: boolean;
};

/** A line per rule: what the plan asks, what this facility has, and by how much it misses or passes. */
function planCheckLines(facility: Facility, condition: FacilityCondition): PlanCheckLine[] {
  const lines: PlanCheckLine[] = [];
  const required = areaRequirement(condition);
  const area = parseDecimal(facility.buildingAreaM2);
  if (required && area) {
    const minimum =
      condition.minAreaM2 === undefined ? null : (parseDecimal(condition.minAreaM2) as Rational);
    const maximum =
      condition.maxAreaM2 === undefined ? null : (parseDecimal(condition.maxAreaM2) as Rational);
    let outcome: string;
    let met = true;
    if (minimum && compare(area, minimum) < 0) {
      outcome = `比下限少 ${squareMetres(subtract(minimum, area))}`;
      met = false;
    } else if (maximum && compare(area, maximum) > 0) {
      outcome = `超出上限 ${squareMetres(subtract(area, maximum))}`;
      met = false;
    } else {
      const margins = [
        minimum &&
          (compare(area, minimum) === 0
            ? '恰好达到下限'
            : `高出下限 ${squareMetres(subtract(area, minimum))}`),
        maximum &&
          (compare(area, maximum) === 0 ? '恰好达到上限' : `距上限 ${squareMetres(subtract(maximum, area))}`),
      ].filter(Boolean);
      outcome = `符合，${margins.join('，')}`;
    }
    lines.push({ key: 'area', item: '建筑面积', required, actual: squareMetres(area), outcome, met });
  }
  if (condition.features.length > 0) {
    const lacking = condition.features.filter((feature) => !facility.features.includes(feature));
    lines.push({
      key: 'features',
      item: '功能分区',
      required: `须设${featureNames(condition.features)}`,
      actual: (
        <Space size={[4, 4]} wrap>
          {condition.features.map((feature) => {
            const present = facility.features.includes(feature);
            return (
              <Tag
                key={feature}
                color={present ? 'success' : 'error'}
                icon={present ? <CheckCircleFilled /> : <CloseCircleFilled />}
              >
                {facilityFeatureLabels[feature] ?? feature}
              </Tag>
            );
          })}
        </Space>
      ),
      outcome: lacking.length > 0 ? `缺少${featureNames(lacking)}` : '符合，要求的功能分区齐全',
      met: lacking.length === 0,
    });
  }
  return lines;
}

/** One tag per catalog condition: 符合规划 in green, otherwise the reasons in a tooltip. */
export function PlanCheckTags({ checks }: { checks: FacilityPlanCheck[] }) {
  if (checks.length === 0) return <Typography.Text type="secondary">无对应指标</Typography.Text>;
  return (
    <Space size={4} wrap>
      {checks.map((check) => (
        <Tooltip key={check.indicatorNo} title={check.met ? check.standard : check.reasons.join('；')}>
          <Tag color={check.met ? 'success' : 'error'} data-testid={`plan-check-${check.indicatorNo}`}>
            指标{check.indicatorNo} {check.met ? '符合规划' : '不符合'}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

/** The e-town's own verdict on the indicator: met when any facility of the kind passes. */
function EtownVerdict({ indicator }: { indicator: ScorecardIndicator | undefined }) {
  if (!indicator) return null;
  const said = indicator.status === 'met' ? indicator.values : indicator.reasons;
  return (
    <Flex gap={8} align="baseline" data-testid={`etown-indicator-${indicator.no}`}>
      <Typography.Text type="secondary" style={{ flex: 'none' }}>
        本镇指标{indicator.no}
      </Typography.Text>
      <IndicatorStatusTag status={indicator.status} />
      <Typography.Text type="secondary">{said.join('；')}</Typography.Text>
    </Flex>
  );
}

export function PlanCheckBlock({
  facility,
  check,
  indicator,
}: {
  facility: Facility;
  check: FacilityPlanCheck;
  indicator: ScorecardIndicator | undefined;
}) {
  const condition = planConditionsFor(facility.kind).find(
    (entry) => entry.indicatorNo === check.indicatorNo,
  )?.condition;
  const lines = condition ? planCheckLines(facility, condition) : [];
  return (
    <Flex vertical gap={8} data-testid={`plan-check-detail-${check.indicatorNo}`}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text strong>
          指标{check.indicatorNo} {check.label}
        </Typography.Text>
        <Tag
          color={check.met ? 'success' : 'error'}
          data-testid="plan-check-verdict"
          style={{ marginInlineEnd: 0 }}
        >
          {check.met ? '本设施符合规划' : '本设施不符合规划'}
        </Tag>
      </Flex>
      {check.reasons.length > 0 && (
        <Typography.Text type="danger" data-testid="plan-check-reasons">
          {check.reasons.join('；')}
        </Typography.Text>
      )}
      {lines.length > 0 && (
        <Table<PlanCheckLine>
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={lines}
          columns={[
            { title: '核验项', dataIndex: 'item', width: 90 },
            { title: '规划要求', dataIndex: 'required' },
            { title: '本设施', dataIndex: 'actual' },
            {
              title: '结果',
              dataIndex: 'outcome',
              render: (outcome: string, line) => (
                <Typography.Text
                  type={line.met ? 'success' : 'danger'}
                  data-testid={`plan-outcome-${line.key}`}
                >
                  {outcome}
                </Typography.Text>
              ),
            },
          ]}
        />
      )}
      <Typography.Text type="secondary">规划原文：{check.standard}</Typography.Text>
      <EtownVerdict indicator={indicator} />
    </Flex>
  );
}
