import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A test server listening on 127.0.0.1, and how to close it with its kept-alive sockets. */
export interface LocalListening {
  port: number;
  url: string;
  /** Destroys every open socket (a kept-alive one would hold close() up), then closes. */
  close: () => Promise<void>;
}

/**
 * Starts `server` on a free port of 127.0.0.1, tracking its sockets so that closing it
 * does not wait on the connections a client keeps alive.
 */
export async function listenLocally(server: Server): Promise<LocalListening> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) {
        socket.destroy();
      }
      server.close();
      await once(server, "close");
    },
  };
}
