import { AppError } from '../../contracts/errors.js';

/** Too little or too uniform history to fit a model. */
export class RiskModelError extends AppError {
  constructor(message: string) {
    super('insufficient_history', message);
  }
}
