/**
 * The sizes segmint reads at most, in one place: the scan, the reader and the judge check the
 * same numbers.
 */

/** The longest line (CSV) or JSON object read; DuckDB's defaults (2 MB CSV) reject real exports with big property blobs. */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;

/** Rejected values are cut to this many characters (a reject report is not a copy of the file). */
export const MAX_VALUE_CHARS = 1000;

/**
 * The most columns one input file may have. DuckDB's cost grows with the column count, not only
 * the cell count (every column gets its own vectors and expression state). Measured on 2 cores
 * with the 1 GB memory limit: a users table of 1,000 columns × 5,000 rows ingests in ~17 s at
 * ~0.8 GB resident; 20,000 columns (12 MB) ran out of memory in `read_csv` itself. Wider files are
 * refused before DuckDB reads them (`errors.tooManyColumns`).
 */
export const MAX_COLUMNS = 1000;
