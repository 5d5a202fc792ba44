import { pgliteForTests, postgresAvailable, postgresForTests } from './db.js';
import { redisUrlForTests } from './redis.js';

/** The two deployments every HTTP test runs against: embedded, and scaled out on real services. */
export const SETUPS = [
  {
    name: 'PGlite + in-process jobs',
    available: async () => true,
    open: async () => ({ database: await pgliteForTests(), env: {} as Record<string, string>, drop: async () => {} }),
  },
  {
    name: 'PostgreSQL + BullMQ',
    available: async () => (await postgresAvailable()) && Boolean(await redisUrlForTests()),
    open: async () => {
      const pg = await postgresForTests();
      return { database: pg.database, env: { REDIS_URL: (await redisUrlForTests())! } as Record<string, string>, drop: pg.drop };
    },
  },
];
