package dev.logmerge.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import redis.embedded.RedisServer;

/**
 * A redis-server child process on loopback with persistence off. A JVM killed with SIGKILL cannot
 * stop it, so callers that may be killed should choose ports that a restart does not collide with.
 */
public final class EmbeddedRedis implements AutoCloseable {
  private final RedisServer server;
  private final int port;

  private EmbeddedRedis(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Starts redis-server.
   *
   * @param port 0 for any free port (redis itself treats 0 as "no TCP", so the port is chosen here)
   */
  public static EmbeddedRedis start(int port) {
    int resolvedPort = LocalPorts.resolve("embedded Redis", port);
    try {
      RedisServer server =
          RedisServer.newRedisServer()
              .port(resolvedPort)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("appendonly no")
              .setting("daemonize no")
              .onShutdownForceStop(true)
              .build();
      server.start();
      return new EmbeddedRedis(server, resolvedPort);
    } catch (IOException e) {
      throw new UncheckedIOException("embedded Redis failed to start on port " + resolvedPort, e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded Redis did not stop cleanly", e);
    }
  }
}
