// Messages between the app page and its worker.
import type { ReportData } from '../report/data.js';

export type Task = 'compare' | 'finc' | 'align';
export type KernelName = 'cosine' | 'gaussian' | 'linear';

export interface InFile {
  name: string;
  bytes: ArrayBuffer;
}

/** One side's kernel as the form sets it. */
export interface SideKernel {
  type: KernelName;
  /** Gaussian σ: a number, or 'auto'. */
  sigma?: number | 'auto';
  /** Random Fourier frequencies of a Gaussian (the covariance route). */
  rffDim?: number;
}

/**
 * Images of one set's rows: the files picked (a folder's files carry their path in it), and
 * optionally a list naming one image per row (as the CLI's images file). Blobs are read in
 * the worker only for the samples the report shows.
 */
export interface ImagePick {
  files: { path: string; blob: Blob }[];
  list?: { name: string; text: string };
}

export interface RunRequest {
  task: Task;
  x: InFile;
  y: InFile;
  labelsX?: InFile;
  labelsY?: InFile;
  /** Array name inside X's / Y's .npz archive. */
  keyX?: string;
  keyY?: string;
  /** Line 1 of .csv/.tsv inputs: a header (true), data (false), or decided by the reader. */
  header?: boolean;
  /** A row-index column under an empty header cell. */
  indexColumn?: 'drop' | 'keep';
  /** compare: X's kernel; finc: the one kernel of both sets; align: X's kernel (ψ(Y) is cosine). */
  kernelX: SideKernel;
  /** compare only: Y's kernel. */
  kernelY?: SideKernel;
  eta?: number;
  topK?: number;
  samplesPerMode?: number;
  method?: 'auto' | 'exact' | 'covariance';
  seed?: number;
  /** align's training options. */
  objective?: 'x-not-y' | 'norm';
  epochs?: number;
  lr?: number;
  beta?: number;
  batch?: number;
  holdout?: number;
  patience?: number;
  dim?: number;
  bias?: boolean;
  imagesX?: ImagePick;
  /** finc only: images of Y's rows. */
  imagesY?: ImagePick;
}

/** align's learned map, for the page's .npy downloads: W (dim × dy, C order) and the bias. */
export interface LearnedMap {
  W: Float32Array;
  bias?: Float32Array;
  dim: number;
  dy: number;
}

export type WorkerMessage =
  | { type: 'progress'; stage: string; fraction: number; message?: string }
  | { type: 'done'; data: ReportData; map?: LearnedMap; notes?: string[] }
  | { type: 'error'; message: string };
