import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('has the seeds\' defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, RESPONSE_DELAY_SECONDS: 3, FAREWELL_DELAY_SECONDS: 10, DELAYS_ENABLED: true, AI_CONFIDENCE_THRESHOLD: 0.85, AI_CLASSIFICATION_TIMEOUT: 8, DATABASE_URL: undefined });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('stops on a bad value with one line naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^PORT: /);
    expect(() => loadConfig({ DELAYS_ENABLED: 'maybe' })).toThrow(/^DELAYS_ENABLED: expected true or false$/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/^DATABASE_URL: /);
    expect(() => loadConfig({ ALLOWED_ORIGINS: '["https://a.example", 3]' })).toThrow(/^ALLOWED_ORIGINS: /);
  });

  it('requires a long SECRET_KEY in production and generates one in development', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/^SECRET_KEY: /);
    expect(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'short' })).toThrow(/^SECRET_KEY: /);
    expect(loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(32) }).generatedSecret).toBe(false);
    const dev = loadConfig({});
    expect(dev.generatedSecret).toBe(true);
    expect(dev.SECRET_KEY.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses Postgres without Redis in production, naming REDIS_URL and why', () => {
    const production = { NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(32) };
    expect(() => loadConfig({ ...production, DATABASE_URL: 'postgresql://db/app' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, DATABASE_URL: 'postgresql://db/app' })).toThrow(/^REDIS_URL: must be set in production with DATABASE_URL \(.*rate limits, presence and caches\)$/);
    expect(() => loadConfig({ ...production, SUPABASE_HOST: 'db' })).toThrow(/^REDIS_URL: /);
    expect(loadConfig({ ...production, DATABASE_URL: 'postgresql://db/app', REDIS_URL: 'redis://cache:6379' }).REDIS_URL).toBe('redis://cache:6379');
    expect(loadConfig({ ...production }).DATABASE_URL).toBeUndefined(); // embedded PGlite is one process: no Redis needed
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/app' }).REDIS_URL).toBeUndefined(); // development may skip it
  });

  it('trusts X-Forwarded-For only when TRUST_PROXY is set', () => {
    expect(loadConfig({})).toMatchObject({ TRUST_PROXY: false, TRUST_PROXY_HOPS: 1 });
    expect(loadConfig({ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2' })).toMatchObject({ TRUST_PROXY: true, TRUST_PROXY_HOPS: 2 });
    expect(() => loadConfig({ TRUST_PROXY: 'sometimes' })).toThrow(/^TRUST_PROXY: expected true or false$/);
    expect(() => loadConfig({ TRUST_PROXY_HOPS: '0' })).toThrow(/^TRUST_PROXY_HOPS: /);
  });

  it('leaves LLM-rephrased knowledge answers off unless KNOWLEDGE_LLM says true', () => {
    expect(loadConfig({}).KNOWLEDGE_LLM).toBe(false);
    expect(loadConfig({ KNOWLEDGE_LLM: 'true' }).KNOWLEDGE_LLM).toBe(true);
    expect(() => loadConfig({ KNOWLEDGE_LLM: 'sometimes' })).toThrow(/^KNOWLEDGE_LLM: expected true or false$/);
  });

  it('reads ALLOWED_ORIGINS as a JSON array or a comma list', () => {
    expect(loadConfig({ ALLOWED_ORIGINS: '["https://a.example","https://b.example"]' }).ALLOWED_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(loadConfig({ ALLOWED_ORIGINS: 'https://a.example, https://b.example' }).ALLOWED_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('accepts the seeds\' asyncpg URL and builds one from SUPABASE_* variables', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql+asyncpg://u:p@db:5437/postgres' }).DATABASE_URL).toBe('postgresql://u:p@db:5437/postgres');
    expect(loadConfig({ SUPABASE_HOST: 'db', SUPABASE_PORT: '5437', SUPABASE_PASSWORD: 'p@ss' }).DATABASE_URL).toBe('postgresql://postgres:p%40ss@db:5437/postgres');
  });
});
