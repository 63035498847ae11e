/** The four live charts (Chart.js): loss per step, test accuracy, sparsity and dead units per layer. */
import { Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Title, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Title, Tooltip);

const COLORS = ['#3b6fd8', '#e0762b', '#3a9a54', '#b03ab0', '#c9372c', '#2aa3b5', '#8a6d3b', '#5f5f5f'];

export interface Point {
  x: number;
  y: number;
}

export class LiveChart {
  readonly chart: Chart<'line', Point[]>;

  constructor(canvas: HTMLCanvasElement, title: string, yTitle: string, options: { percent?: boolean; logY?: boolean } = {}) {
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        elements: { point: { radius: 0 }, line: { borderWidth: 1.6 } },
        plugins: { title: { display: true, text: title }, legend: { display: true, position: 'bottom', labels: { boxWidth: 12 } } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' } },
          y: {
            type: options.logY ? 'logarithmic' : 'linear',
            title: { display: true, text: yTitle },
            ticks: options.percent ? { callback: (v) => `${(Number(v) * 100).toFixed(0)}%` } : {},
          },
        },
      },
    });
  }

  /** Sets the series names (clearing the data). */
  reset(names: string[]): void {
    this.chart.data.datasets = names.map((label, i) => ({
      label,
      data: [],
      borderColor: COLORS[i % COLORS.length],
      backgroundColor: COLORS[i % COLORS.length],
    }));
    this.chart.update();
  }

  /** Appends one value per series at x (values[i] goes to series i). */
  push(x: number, values: readonly number[]): void {
    this.chart.data.datasets.forEach((d, i) => {
      const y = values[i];
      if (y !== undefined && Number.isFinite(y)) d.data.push({ x, y });
    });
  }

  draw(): void {
    this.chart.update('none');
  }

  pointCount(): number {
    return this.chart.data.datasets.reduce((n, d) => n + d.data.length, 0);
  }
}
