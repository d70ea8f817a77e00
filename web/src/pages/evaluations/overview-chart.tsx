import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { IndicatorOverview } from '../../api/types.ts';

// Only what this chart draws, so the bundle carries a fraction of ECharts.
echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Props = Pick<IndicatorOverview, 'indicators' | 'totals'>;

const series = [
  { key: 'met', name: '达标', color: '#52c41a' },
  { key: 'unmet', name: '未达标', color: '#ff4d4f' },
  { key: 'pending', name: '待定', color: '#faad14' },
] as const;

type TooltipItem = { dataIndex: number; marker: string; seriesName: string; value: number };

function chartOption({ indicators, totals }: Props): echarts.EChartsCoreOption {
  const totalOf = new Map(totals.map((total) => [total.no, total]));
  const titleOf = new Map(indicators.map((indicator) => [indicator.no, indicator.title]));
  const numbers = indicators.map((indicator) => indicator.no);
  return {
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 36, bottom: 24, containLabel: true },
    legend: { top: 0, itemWidth: 14, itemHeight: 10 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const items = params as TooltipItem[];
        const no = numbers[items[0]?.dataIndex ?? 0];
        const head = `第${no}项 ${echarts.format.encodeHTML(titleOf.get(no ?? 0) ?? '')}`;
        const lines = items.map((item) => `${item.marker}${item.seriesName}：${item.value} 个e镇`);
        return [head, ...lines].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: numbers.map(String),
      axisTick: { alignWithLabel: true },
      axisLabel: { interval: 0 },
      name: '指标序号',
      nameLocation: 'middle',
      nameGap: 28,
    },
    yAxis: { type: 'value', minInterval: 1, name: 'e镇数（个）', nameTextStyle: { align: 'left' } },
    series: series.map((entry) => ({
      name: entry.name,
      type: 'bar',
      stack: 'etowns',
      barMaxWidth: 28,
      itemStyle: { color: entry.color },
      emphasis: { focus: 'series' },
      data: numbers.map((no) => totalOf.get(no)?.[entry.key] ?? 0),
    })),
  };
}

/** 各项指标达标情况: per indicator, how many of the listed e-towns meet, miss or are pending. */
export function OverviewChart({ indicators, totals }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(chartOption({ indicators, totals }), { notMerge: true });
  }, [indicators, totals]);

  return <div ref={container} data-testid="overview-chart" style={{ width: '100%', height: 300 }} />;
}
