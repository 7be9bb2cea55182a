/** The logging the core needs; pino satisfies it, and tests can capture it. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  /** Detail operators only want when tracing a problem (LOG_LEVEL=debug); optional, so a bare capture needs none. */
  debug?(obj: object, msg?: string): void;
}
