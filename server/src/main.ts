/**
 * The process entry: `node server/dist/main.js` (production) or `tsx server/src/main.ts`
 * (development). It reads the config and starts the embedded database's worker thread before it
 * loads the rest of the server (server.ts, the composition root, and its packages): PGlite opens
 * on the worker's core (~1.5–2 s of CPU) while this thread loads modules, not after them. The
 * worker must be running before that import begins: evaluating the modules holds this thread for
 * seconds, and a worker merely requested would start only after it.
 */
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { describeStartupError } from './startup-errors.ts';
import { startEmbedded } from './adapters/db/embedded.ts';
import type { RunningServer } from './server.ts';

/** server.ts beside this file: the build's server.js, or the TypeScript source under tsx. */
const SERVER_MODULE = import.meta.url.endsWith('.ts') ? './server.ts' : './server.js';

/** How long a stop may take (in-flight decisions and deliveries, PGlite's close) before the process gives up. */
const DRAIN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  // Known dependency failures are handled where they happen (background loops report and back
  // off, requests get error answers). Whatever still arrives here left a state nobody planned
  // for: log it on one line and exit, so that the supervisor starts a clean process.
  const fatal = (what: string) => (error: unknown) => {
    logger.fatal({ err: error }, `${what}: exiting`);
    process.exit(1);
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));

  // Listening from the start, so a stop that arrives while loading or migrating still closes PGlite cleanly.
  let begin!: (started: Promise<RunningServer>) => void;
  const starting = new Promise<RunningServer>((resolve) => (begin = resolve));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal while draining: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping: no new connections; finishing the work in flight');
    setTimeout(() => {
      logger.error(`stop did not finish within ${DRAIN_DEADLINE_MS / 1000} s: exiting`);
      process.exit(1);
    }, DRAIN_DEADLINE_MS).unref();
    starting
      .then((server) => server.close())
      .then(
        () => {
          logger.info('stopped cleanly');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'stop failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  // Embedded: PGlite's worker thread is started (DATA_DIR locked) before the rest of the server
  // is loaded, so that it opens while this thread loads modules; startServer waits for it (and
  // reports its failure).
  const embedded = config.DATABASE_URL
    ? undefined
    : (await startEmbedded({ dataDir: config.DATA_DIR }).catch((error: unknown) => ({ opened: Promise.reject(error) as Promise<never> }))).opened;
  embedded?.catch(() => undefined);
  begin(import(SERVER_MODULE).then(({ startServer }: typeof import('./server.ts')) => startServer(config, { logger, ...(embedded ? { embedded } : {}) })));

  let server: RunningServer;
  try {
    server = await starting;
  } catch (error) {
    const line = describeStartupError(error, config);
    if (line) console.error(line);
    else logger.fatal({ err: error }, 'start failed');
    process.exit(1);
  }
  console.log(`\n  Support chat is running: ${server.url}\n  Demo site: ${server.url}/   Operator console: ${server.url}/console\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
