import { BarChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { AggregateCell, AggregateSeries, MonthlyAggregates } from '../../api/types.ts';

// Only what these charts draw, so the bundle carries a fraction of ECharts.
echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export type ChartView = 'trend' | 'children';
export type GrowthKind = 'yoy' | 'mom';
/** What a click on the chart asks to see: the rows behind one series in one month (or the range). */
export type ChartPick = { series: AggregateSeries; month: string | null };

type Props = {
  data: MonthlyAggregates;
  view: ChartView;
  growth: GrowthKind;
  /** A month of the range, or null for the range summed. */
  period: string | null;
  onPick: (pick: ChartPick) => void;
};

const colors = { output: '#1f6f5c', retail: '#4a90c8', outputLine: '#e8833a', retailLine: '#b0479a' };
const growthNames: Record<GrowthKind, string> = { yoy: '同比', mom: '环比' };

const wan = (yuan: string) => Number(yuan) / 10_000;
const pct = (value: string | null) => (value === null ? null : Number(value));
const groupedWan = (value: number) =>
  value.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

type TooltipItem = {
  dataIndex: number;
  marker: string;
  seriesName: string;
  seriesType: string;
  value: number | null;
};

function tooltip(headOf: (index: number) => string) {
  return {
    trigger: 'axis',
    axisPointer: { type: 'shadow' },
    formatter: (params: unknown) => {
      const items = params as TooltipItem[];
      const head = echarts.format.encodeHTML(headOf(items[0]?.dataIndex ?? 0));
      const lines = items.map((item) => {
        if (item.seriesType === 'line') {
          const shown = item.value === null || item.value === undefined ? '无可比数据' : `${item.value}%`;
          return `${item.marker}${item.seriesName}：${shown}`;
        }
        return `${item.marker}${item.seriesName}：${groupedWan(item.value ?? 0)} 万元`;
      });
      return [head, ...lines, '<span style="color:#8c8c8c">点击查看明细</span>'].join('<br/>');
    },
  };
}

const axes = (growth: GrowthKind | null) => [
  {
    type: 'value',
    name: '万元',
    nameTextStyle: { align: 'right' },
    axisLabel: { formatter: (value: number) => value.toLocaleString('zh-CN') },
  },
  ...(growth
    ? [
        {
          type: 'value',
          name: `${growthNames[growth]}（%）`,
          nameTextStyle: { align: 'left' },
          splitLine: { show: false },
          axisLabel: { formatter: '{value}%' },
        },
      ]
    : []),
];

const bars = (outputs: number[], retails: number[]) => [
  {
    name: '总产值',
    type: 'bar',
    barMaxWidth: 26,
    itemStyle: { color: colors.output },
    data: outputs,
  },
  {
    name: '网络零售额',
    type: 'bar',
    barMaxWidth: 26,
    itemStyle: { color: colors.retail },
    data: retails,
  },
];

const lines = (name: string, outputs: (number | null)[], retails: (number | null)[]) => [
  {
    name: `总产值${name}`,
    type: 'line',
    yAxisIndex: 1,
    connectNulls: false,
    symbolSize: 7,
    itemStyle: { color: colors.outputLine },
    data: outputs,
  },
  {
    name: `网络零售额${name}`,
    type: 'line',
    yAxisIndex: 1,
    connectNulls: false,
    symbolSize: 7,
    lineStyle: { type: 'dashed' },
    itemStyle: { color: colors.retailLine },
    data: retails,
  },
];

/** 月度趋势: the region's output and online retail by month, with their YoY or MoM as lines. */
function trendOption(data: MonthlyAggregates, growth: GrowthKind): echarts.EChartsCoreOption {
  const cells = data.series.months;
  const momOrYoy = (cell: AggregateCell, measure: 'output' | 'onlineRetail') =>
    pct(growth === 'yoy' ? cell[`${measure}YoyPct`] : cell[`${measure}MomPct`]);
  return {
    animationDuration: 300,
    grid: { left: 12, right: 12, top: 48, bottom: 8, containLabel: true },
    legend: { top: 0, itemWidth: 14, itemHeight: 10 },
    tooltip: tooltip((index) => `${data.series.name} · ${cells[index]?.month ?? ''}`),
    xAxis: { type: 'category', data: data.months, axisTick: { alignWithLabel: true } },
    yAxis: axes(growth),
    series: [
      ...bars(
        cells.map((cell) => wan(cell.outputYuan)),
        cells.map((cell) => wan(cell.onlineRetailYuan)),
      ),
      ...lines(
        growthNames[growth],
        cells.map((cell) => momOrYoy(cell, 'output')),
        cells.map((cell) => momOrYoy(cell, 'onlineRetail')),
      ),
    ],
  };
}

/** 下级对比: each child's output and online retail in the period, with their growth as lines. */
function childrenOption(
  data: MonthlyAggregates,
  growth: GrowthKind,
  period: string | null,
): echarts.EChartsCoreOption {
  const figures: (AggregateCell | AggregateSeries['total'])[] = data.children.map((child) =>
    period === null ? child.total : (child.months.find((cell) => cell.month === period) ?? child.total),
  );
  // The range summed has a cumulative YoY, but no MoM.
  const lineGrowth: GrowthKind | null = period === null && growth === 'mom' ? null : growth;
  const growthOf = (figure: (typeof figures)[number], measure: 'output' | 'onlineRetail') => {
    if (lineGrowth === 'yoy') return pct(figure[`${measure}YoyPct`]);
    return 'month' in figure ? pct((figure as AggregateCell)[`${measure}MomPct`]) : null;
  };
  const many = data.children.length > 12;
  const names = data.children.map((child) => child.name);
  return {
    animationDuration: 300,
    grid: { left: 12, right: 12, top: 48, bottom: many ? 40 : 8, containLabel: true },
    legend: { top: 0, itemWidth: 14, itemHeight: 10 },
    tooltip: tooltip(
      (index) => `${names[index] ?? ''} · ${period ?? `${data.fromMonth} 至 ${data.toMonth} 累计`}`,
    ),
    xAxis: {
      type: 'category',
      data: names,
      axisTick: { alignWithLabel: true },
      axisLabel: {
        interval: 0,
        rotate: names.length > 6 ? 30 : 0,
        formatter: (name: string) => (name.length > 12 ? `${name.slice(0, 11)}…` : name),
      },
    },
    yAxis: axes(lineGrowth),
    dataZoom: many
      ? [{ type: 'slider', start: 0, end: Math.round((12 / names.length) * 100), height: 16, bottom: 8 }]
      : [],
    series: [
      ...bars(
        figures.map((figure) => wan(figure.outputYuan)),
        figures.map((figure) => wan(figure.onlineRetailYuan)),
      ),
      ...(lineGrowth
        ? lines(
            period === null ? '累计同比' : growthNames[lineGrowth],
            figures.map((figure) => growthOf(figure, 'output')),
            figures.map((figure) => growthOf(figure, 'onlineRetail')),
          )
        : []),
    ],
  };
}

/** 统计汇总的图：月度趋势（柱：总产值、网络零售额；线：同比或环比）或下级对比。 */
export function AggregatesChart({ data, view, growth, period, onPick }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const pick = useRef({ data, view, period, onPick });
  pick.current = { data, view, period, onPick };

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    // A click anywhere in a category's column opens the rows behind it.
    instance.getZr().on('click', (event) => {
      const point = [event.offsetX, event.offsetY];
      if (!instance.containPixel('grid', point)) return;
      const [index] = instance.convertFromPixel({ seriesIndex: 0 }, point) as [number, number];
      const current = pick.current;
      if (current.view === 'trend') {
        const month = current.data.months[index];
        if (month) current.onPick({ series: current.data.series, month });
      } else {
        const series = current.data.children[index];
        if (series) current.onPick({ series, month: current.period });
      }
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      view === 'trend' ? trendOption(data, growth) : childrenOption(data, growth, period),
      { notMerge: true },
    );
  }, [data, view, growth, period]);

  return (
    <div
      ref={container}
      data-testid="aggregates-chart"
      style={{ width: '100%', height: 340, cursor: 'pointer' }}
    />
  );
}
