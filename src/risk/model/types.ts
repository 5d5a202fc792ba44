import type { FeatureVector } from '../features/names.js';
import type { InputName } from './transform.js';

export interface TrainingRow {
  at: Date;
  y: 0 | 1;
  features: FeatureVector;
  /**
   * When the outcome became known (an SZZ label: when its fix landed). Rolling-origin
   * validation trains each fold only on outcomes known by the fold's start; absent = at `at`.
   */
  knownAt?: Date | undefined;
}
export interface Contribution {
  name: InputName;
  value: number;
  contribution: number;
}
export interface RiskPrediction {
  probability: number;
  /** The known inputs' contributions, largest first (an unknown input contributes nothing and is not listed). */
  contributions: Contribution[];
}
export interface RiskModel {
  version: string;
  trainedAt: string | null;
  n: number;
  failures: number;
  features: InputName[];
  calibration: 'platt' | 'none' | 'base-rate';
  /** `at`: when the release is asked about (a base-rate layer shifts as of then; other models ignore it). */
  predict(f: FeatureVector, at?: Date): RiskPrediction;
  /** predict(f).probability without the explanation (validation and replays score many rows). */
  probability(f: FeatureVector, at?: Date): number;
  toJSON(): unknown;
}
