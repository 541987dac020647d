// The error family of the system. Each error knows its HTTP status and stable code; the HTTP stack
// maps them in one place (http.ts). Anything that is not an AppError is a fault and is rethrown.
// Issues carry their English message; the HTTP stack says it in the caller's language (error-messages.ts).
/** One problem with a request: `code` is stable (pages translate it); without one it answers as `invalid`. */
export interface Issue {
  path: string;
  message: string;
  code?: string;
  params?: Record<string, unknown>;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly issues?: Issue[];

  constructor(message: string, options?: { cause?: unknown; issues?: Issue[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options?.issues) this.issues = options.issues;
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'invalid_request';
}

export class InvalidJsonError extends AppError {
  readonly status = 400;
  readonly code = 'invalid_json';
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthorized';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code: string;
  /** `code` names the refusal where a page says more than "no access" (e.g. `not_on_roster`). */
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options);
    this.code = options?.code ?? 'forbidden';
  }
}

/** A staff token whose email the user pool has not verified: nobody may act under that address. */
export class EmailNotVerifiedError extends AppError {
  readonly status = 403;
  readonly code = 'email_not_verified';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code: string;
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options);
    this.code = options?.code ?? 'not_found';
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code: string;
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options);
    this.code = options?.code ?? 'conflict';
  }
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
}

/** A backing service (DynamoDB, SES, EventBridge) did not answer; the caller may retry. */
export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'service_unavailable';
}
