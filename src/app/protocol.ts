// Messages between the app page and its worker.
import type { ReportData } from '../report/data.js';

export type Task = 'compare' | 'finc' | 'align';

export interface InFile {
  name: string;
  bytes: ArrayBuffer;
}

export interface RunRequest {
  task: Task;
  x: InFile;
  y: InFile;
  labelsX?: InFile;
  labelsY?: InFile;
  /** Array name inside .npz inputs. */
  key?: string;
  kernel: 'cosine' | 'gaussian' | 'linear';
  /** Gaussian σ: a number, or 'auto'. */
  sigma: number | 'auto';
  rffDim?: number;
  eta?: number;
  topK?: number;
  samplesPerMode?: number;
  method?: 'auto' | 'exact' | 'covariance';
  seed?: number;
  epochs?: number;
  lr?: number;
}

export type WorkerMessage =
  | { type: 'progress'; stage: string; fraction: number; message?: string }
  | { type: 'done'; data: ReportData }
  | { type: 'error'; message: string };
