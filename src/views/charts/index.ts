/** The playground's charts: props-only React components over the pure draw functions in src/render/. */
export { Sparkline, type SparklineProps } from './Sparkline.tsx';
export { FieldLegend, type FieldLegendProps } from './FieldLegend.tsx';
export { RobustCurve, type RobustCurveProps, type RobustCurveSeries } from './RobustCurve.tsx';
export { SeparationHistogram, type SeparationHistogramProps } from './SeparationHistogram.tsx';
export { PanelPlot, type PanelPlotProps, type PanelPlotField, type PanelPlotHover } from './PanelPlot.tsx';
