/** One dataset row; `_index` is its position in the loaded split, as a string (upstream's key). */
export type Row = Record<string, unknown> & { _index: string };

/** Where rows come from: a hub dataset (parquet export), a URL of JSON lines, or a local file. */
export interface DatasetSpec {
  path: string;
  subset?: string | null;
  split?: string | null;
  /** Upstream's dataset_kwargs (revision, version_tag, trust_remote_code, ...). */
  kwargs?: Record<string, unknown>;
  /** Only these columns, in this order (all when absent): keeps big label datasets small in memory. */
  columns?: string[];
}

/** Loads every row of a split in the hub's order, each with `_index` = its position as a string. */
export type LoadRows = (spec: DatasetSpec) => Promise<Row[]>;
