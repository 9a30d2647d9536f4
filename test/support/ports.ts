// Ports for tests that need a service to be down.
import net from 'node:net';

/** A port on 127.0.0.1 nothing listens on: a service that is down, or a commune offline. */
export async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
