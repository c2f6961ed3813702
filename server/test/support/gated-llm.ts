/**
 * A real HTTP server speaking OpenAI's chat-completions API that holds every request until the
 * test releases it: a classification "in flight" for as long as the test needs.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat-completions endpoint that holds every answer until the test lets it go. */
export class GatedLlm {
  private server!: Server;
  private held: ServerResponse[] = [];
  baseURL = '';

  async start() {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => this.held.push(res));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseURL = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  get waiting(): number {
    return this.held.length;
  }

  release(category: string, confidence: number) {
    const content = JSON.stringify({ category, confidence });
    for (const res of this.held.splice(0)) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'fake', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] }),
      );
    }
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

