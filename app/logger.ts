import { format } from 'node:util';
import { pino, type Logger as Pino } from 'pino';
import type { Config } from '../src/config.js';
import { logIdsMixin } from '../src/infra/log-context.js';

/** Secrets never reach a log line, whatever object a caller logs. */
const REDACT = {
  paths: [
    '*.token',
    '*.botToken',
    '*.appToken',
    '*.signingSecret',
    '*.password',
    '*.clientSecret',
    '*.authorization',
    '*.headers.authorization',
    '*.headers.cookie',
    'config',
  ],
  censor: '[redacted]',
};

/**
 * The process's logger: JSON lines on stdout, each with the process's runId and, inside a request,
 * command or job, its reqId or jobId. The console owns stdout, so there logs go to stderr and only
 * warnings and worse show unless LOG_LEVEL asks for more.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, consoleMode: boolean): Pino {
  return consoleMode
    ? pino({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, redact: REDACT, mixin: logIdsMixin }, pino.destination(2))
    : pino({ level: config.LOG_LEVEL, redact: REDACT, mixin: logIdsMixin });
}

/**
 * The SDKs write some failures straight to the console (botbuilder prints a refused request's error);
 * routed through pino they become JSON lines with the request's id and the same redaction as ours.
 */
export function consoleToLog(log: Pino): void {
  /* eslint-disable no-console -- this is where the console is taken over */
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const [first, ...rest] = args;
      if (first instanceof Error) log[level]({ component: 'console', err: first }, rest.length > 0 ? format(...rest) : first.message);
      else log[level]({ component: 'console' }, format(...args));
    };
  console.debug = line('debug');
  console.log = line('info');
  console.info = line('info');
  console.warn = line('warn');
  console.error = line('error');
  /* eslint-enable no-console */
}
