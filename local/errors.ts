// The local runtime's error family: failures to start or run the emulators, each with a message a
// developer can act on and the underlying `cause` kept for the stack trace.

export class LocalRuntimeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** `java` is missing or too old for DynamoDB Local. */
export class JavaMissingError extends LocalRuntimeError {}

/** A port the runtime was told to use is taken by another process. */
export class PortInUseError extends LocalRuntimeError {
  constructor(
    readonly port: number,
    what: string,
    options?: { cause?: unknown },
  ) {
    super(`Port ${port} (${what}) is already in use; stop whatever holds it or choose another port`, options);
  }
}

/** A child service did not become ready in time, or exited while starting. */
export class StartupError extends LocalRuntimeError {}

/** A handler id has no module, or its module exports no `handler` function. */
export class HandlerNotFoundError extends LocalRuntimeError {}

/** A handler ran longer than its timeout (like a Lambda timeout). */
export class HandlerTimeoutError extends LocalRuntimeError {}

/** An event pattern uses a feature the local bus does not implement; failing loudly beats never matching. */
export class UnsupportedPatternError extends LocalRuntimeError {}
