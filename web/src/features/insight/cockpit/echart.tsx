import { useEffect, useRef } from 'react';
import type { CSSProperties } from 'react';
import { BarChart, EffectScatterChart, LineChart, MapChart } from 'echarts/charts';
import {
  GeoComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { init, use, type EChartsCoreOption, type EChartsType } from 'echarts/core';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';

// Only the charts and components the cockpit draws, so the bundle carries no more of ECharts.
use([
  BarChart,
  EffectScatterChart,
  LineChart,
  MapChart,
  GeoComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  LabelLayout,
  CanvasRenderer,
]);

/** What a click on a chart element tells its handler. */
export interface ChartClick {
  name: string;
  seriesType?: string;
  data?: unknown;
}

/** Props of one chart. */
export interface EChartProps {
  option: EChartsCoreOption;
  /** `data-testid` of the container; `data-state` turns `ready` once the option is drawn. */
  testId: string;
  /** What the chart shows, for screen readers. */
  label: string;
  height?: number | string;
  dark?: boolean;
  onClick?: (click: ChartClick) => void;
  /** Called after every drawn option, e.g. to read pixel positions from the chart. */
  onDrawn?: (chart: EChartsType, container: HTMLDivElement) => void;
  style?: CSSProperties;
}

/**
 * Plain ECharts on a div: created on mount (again when the theme changes), `setOption` whenever
 * the option changes, resized with its container, disposed on unmount.
 */
export function EChart({
  option,
  testId,
  label,
  height = 300,
  dark = false,
  onClick,
  onDrawn,
  style,
}: EChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  // handlers kept in refs so a new closure each render does not rebind the chart's events
  const clickRef = useRef(onClick);
  const drawnRef = useRef(onDrawn);
  clickRef.current = onClick;
  drawnRef.current = onDrawn;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = init(element, dark ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => {
      clickRef.current?.({
        name: params.name,
        seriesType: params.seriesType,
        data: params.data,
      });
    });
    const observer = new ResizeObserver(() => {
      instance.resize();
      drawnRef.current?.(instance, element);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
      element.removeAttribute('data-state');
    };
  }, [dark]);

  useEffect(() => {
    const instance = chart.current;
    const element = container.current;
    if (!instance || !element) return;
    instance.setOption(
      { backgroundColor: 'transparent', ...(option as Record<string, unknown>) },
      { notMerge: true },
    );
    element.dataset.state = 'ready';
    drawnRef.current?.(instance, element);
  }, [option, dark]);

  return (
    <div
      ref={container}
      className="ot-ck-chart"
      data-testid={testId}
      role="img"
      aria-label={label}
      style={{ height, ...style }}
    />
  );
}
