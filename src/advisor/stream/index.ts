/**
 * The streaming anomaly detector for one series: online, deterministic, no
 * look-ahead. The service watches a promoted release with it, and
 * `shipcheck eval nab` measures it on the Numenta Anomaly Benchmark.
 */
export { createStreamDetector, restoreStreamDetector, type StreamCause, type StreamDetector, type StreamPoint } from './detector.js';
export { DEFAULT_STREAM_OPTIONS, resolveOptions, type StreamDetectorOptions } from './options.js';
export { StreamStateError, type StreamDetectorState } from './state.js';
