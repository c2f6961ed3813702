import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

/** One JSON line per event on stdout (pino writes it synchronously, so a line logged just before exit is kept). */
export function createLogger(config: Readonly<Config>): Logger {
  return pino({ level: config.LOG_LEVEL, redact: ['req.headers.authorization', '*.password', '*.token', 'config.SECRET_KEY', 'config.METRICS_TOKEN', 'config.OPENAI_API_KEY', 'config.TELEGRAM_BOT_TOKEN', 'config.TELEGRAM_WEBHOOK_SECRET'] });
}
