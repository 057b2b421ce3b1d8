/** The emulators' HTTP servers: bound to 127.0.0.1, closed together with every connection. */
import type * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export class LocalServers {
  private readonly servers: http.Server[] = [];
  private readonly sockets = new Set<Socket>();

  /** Listens on 127.0.0.1:port (0: a free port); resolves to `http://127.0.0.1:PORT`. */
  async listen(server: http.Server, port: number): Promise<string> {
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Closes every server, ending open connections (keep-alive and in-flight ones) instead of waiting. */
  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
    for (const s of this.sockets) s.destroy();
  }
}
