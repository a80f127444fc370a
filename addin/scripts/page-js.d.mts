/** One page of the add-in: the JS chunks it can ever load (gzipped sizes) and their total. */
export interface PageJs {
  page: string;
  files: { file: string; gz: number }[];
  total: number;
}

export function pageJs(distDir: string): PageJs[];
