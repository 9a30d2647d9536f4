// A thin React wrapper over ECharts (no echarts-for-react): one instance per mounted div,
// drawn as SVG (crisp at any zoom, and the same renderer the PDF export uses), the option set
// again whenever it changes, resized with its box, disposed on unmount.
import { useEffect, useLayoutEffect, useRef } from 'react';
import { init, type ECElementEvent, type EChartsCoreOption, type EChartsType } from 'echarts/core';

interface EChartProps {
  option: EChartsCoreOption;
  /** What the chart says, for screen readers (the SVG itself is not readable). */
  label: string;
  height?: number;
  testId?: string;
  onItemClick?: (event: ECElementEvent) => void;
}

export function EChart({ option, label, height = 260, testId, onItemClick }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const latestClick = useRef(onItemClick);
  useLayoutEffect(() => {
    latestClick.current = onItemClick;
  });

  useEffect(() => {
    const div = box.current;
    if (!div) return;
    const instance = init(div, undefined, { renderer: 'svg' });
    chart.current = instance;
    instance.on('click', (event) => latestClick.current?.(event as ECElementEvent));
    // The dashboard's columns change width with the window and the sidebar; the chart follows.
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(div);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // notMerge: a new period may have fewer points or series than the last one.
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} className="echart" role="img" aria-label={label} data-testid={testId} style={{ height }} />;
}
