interface Chunks {
  files: { file: string; gz: number }[];
  total: number;
}

/** One page of the add-in: the JS its first view loads, what each later view adds, and all it can ever load (gzipped). */
export interface PageJs extends Chunks {
  page: string;
  firstView: Chunks;
  later: (Chunks & { module: string })[];
}

export function pageJs(distDir: string): PageJs[];
