import { describe, expect, it } from 'vitest';
import { OutageBreaker } from './outage-breaker.ts';

const down = Object.assign(new Error("Can't reach database server"), { outage: true });
const isOutage = (e: unknown) => (e as { outage?: boolean }).outage === true;

describe('the outage breaker', () => {
  it('fails at once after an outage error, lets one probe through after the cool-down, and closes when it succeeds', async () => {
    let now = 0;
    const breaker = new OutageBreaker({ isOutage, coolDownMs: 1000, clock: { now: () => new Date(now) } });
    let calls = 0;
    const failing = async () => {
      calls++;
      throw down;
    };
    await expect(breaker.run(failing)).rejects.toBe(down);
    await expect(breaker.run(async () => 'not run')).rejects.toBe(down);
    expect(calls).toBe(1);

    now = 1001;
    let release!: () => void;
    const probe = breaker.run(() => new Promise<string>((r) => (release = () => r('ok'))));
    await expect(breaker.run(async () => 'not run')).rejects.toBe(down); // while the probe runs
    release();
    expect(await probe).toBe('ok');
    expect(await breaker.run(async () => 'runs')).toBe('runs');
  });

  it('ignores errors that are not an outage', async () => {
    const breaker = new OutageBreaker({ isOutage, coolDownMs: 1000, clock: { now: () => new Date(0) } });
    const bug = new Error('unique violation');
    await expect(breaker.run(async () => Promise.reject(bug))).rejects.toBe(bug);
    expect(await breaker.run(async () => 'runs')).toBe('runs');
  });

  it('opens again when the probe fails', async () => {
    let now = 0;
    const breaker = new OutageBreaker({ isOutage, coolDownMs: 1000, clock: { now: () => new Date(now) } });
    await expect(breaker.run(async () => Promise.reject(down))).rejects.toBe(down);
    now = 1500;
    await expect(breaker.run(async () => Promise.reject(down))).rejects.toBe(down);
    now = 2000;
    await expect(breaker.run(async () => 'not run')).rejects.toBe(down);
    now = 2501;
    expect(await breaker.run(async () => 'runs')).toBe('runs');
  });
});
