/** A refusal of a console call, with the code the console gets in its error ack. */
export class OperatorError extends Error {
  override name = 'OperatorError';
  constructor(
    readonly code: 'not_found' | 'already_claimed' | 'not_owner' | 'resolved' | 'forbidden' | 'conflict' | 'validation_error' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}
