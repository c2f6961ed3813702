/**
 * The process entry: `node server/dist/main.js` (production) or `tsx server/src/main.ts`
 * (development). It reads the config and starts opening the embedded database before it loads
 * the rest of the server (server.ts, the composition root, and its packages): PGlite opens on its
 * worker thread's core (~1.5 s of CPU) while this thread loads modules (~3 s), not after them.
 */
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { describeStartupError } from './startup-errors.ts';
import { openEmbedded } from './adapters/db/embedded.ts';
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

  // Embedded: PGlite starts opening now; startServer waits for it (and reports its failure).
  const embedded = config.DATABASE_URL ? undefined : openEmbedded({ dataDir: config.DATA_DIR });
  embedded?.catch(() => undefined);
  const starting = import(SERVER_MODULE).then(({ startServer }: typeof import('./server.ts')) => startServer(config, { logger, ...(embedded ? { embedded } : {}) }));
  // Listening from the start, so a stop that arrives while loading or migrating still closes PGlite cleanly.
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
