import { describe, expect, it, vi } from 'vitest';
import { createCommands } from './commands.ts';

function setup() {
  const controls = { open: vi.fn(), close: vi.fn(), toggle: vi.fn(), setVisitor: vi.fn(), identify: vi.fn() };
  const warn = vi.fn();
  return { controls, warn, commands: createCommands(controls, warn) };
}

describe('createCommands', () => {
  it('runs calls buffered as `arguments` by the loader', () => {
    const { commands, controls } = setup();
    (function (..._args: unknown[]) {
      // eslint-disable-next-line prefer-rest-params
      commands.run(arguments);
    })('setVisitor', { name: ' Anna ', email: 'anna@example.com', extra: 1 });
    commands.run(['open']);
    expect(controls.setVisitor).toHaveBeenCalledWith({ name: 'Anna', email: 'anna@example.com' });
    expect(controls.open).toHaveBeenCalledOnce();
  });

  it('passes a signed identity on, and warns about one without a userId or signature', () => {
    const { commands, controls, warn } = setup();
    commands.run(['identify', { userId: ' 42 ', signature: 'ab12', name: ' Anna ', extra: 1 }]);
    expect(controls.identify).toHaveBeenCalledWith({ userId: '42', signature: 'ab12', name: 'Anna' });
    commands.run(['identify', { userId: '42' }]);
    commands.run(['identify', { signature: 'ab12' }]);
    commands.run(['identify']);
    expect(controls.identify).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it('calls subscribed callbacks and survives one that throws', () => {
    const { commands } = setup();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const good = vi.fn();
    commands.run(['on', 'message', () => {
      throw new Error('page bug');
    }]);
    commands.run(['on', 'message', good]);
    commands.fire('message', { text: 'hi' });
    expect(good).toHaveBeenCalledWith({ text: 'hi' });
    commands.run(['off', 'message', good]);
    commands.fire('message', {});
    expect(good).toHaveBeenCalledOnce();
    error.mockRestore();
  });

  it('warns about unknown commands and events instead of throwing', () => {
    const { commands, warn } = setup();
    commands.run(['explode']);
    commands.run(['on', 'everything', () => {}]);
    expect(warn).toHaveBeenCalledTimes(2);
  });
});
