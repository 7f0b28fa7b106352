package dev.logmerge.core;

import dev.logmerge.devservices.EmbeddedRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real redis-server for the tests of one class, with a Vert.x instance and a client to look at
 * (or empty) what the code under test wrote. Register it as a static field with
 * {@code @RegisterExtension}.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
  private EmbeddedRedis server;
  private Vertx vertx;
  private RedisAPI inspect;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = EmbeddedRedis.start(0);
    vertx = Vertx.vertx();
    inspect = RedisAPI.api(Redis.createClient(vertx, server.url()));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    server.close();
  }

  public EmbeddedRedis server() {
    return server;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** A client of the server for the test's own commands. */
  public RedisAPI inspect() {
    return inspect;
  }

  /** Empties the server: every test starts from nothing. */
  public void flush() {
    try {
      inspect.flushall(List.of()).await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("Redis did not empty within 10 s", e);
    }
  }
}
