/** A half-open [start, end) range of the input that holds a secret value. */
export interface Found {
  start: number;
  end: number;
}

/** Scans the whole text once and returns every secret range it recognises. Pure. */
export type Detector = (text: string) => Found[];
