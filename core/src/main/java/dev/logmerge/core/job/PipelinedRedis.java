package dev.logmerge.core.job;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * The job store's way to Redis: every command pipelined over one connection, many in flight, replies matched
 * in order. The pooled client puts one command at a time on a connection, so under load each command paid for
 * its own wake-ups, reads and writes, in this JVM and in Redis; on one connection Redis reads a burst of
 * commands and writes their replies at once. The connection is made on first use and made again after it
 * broke, so an outage lasts as long as Redis is away, no longer.
 *
 * <p>Only for commands that leave no state on the connection (no MULTI, SELECT, blocking commands or
 * subscriptions): the job store sends single commands and Lua scripts.
 */
final class PipelinedRedis implements Redis {
  private final Redis pool;
  private Future<RedisConnection> connection;

  PipelinedRedis(Redis pool) {
    this.pool = pool;
  }

  @Override
  public Future<Response> send(Request command) {
    return connection().compose(open -> open.send(command));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return connection().compose(open -> open.batch(commands));
  }

  /** A connection of the caller's own, from the pool; not the shared one. */
  @Override
  public Future<RedisConnection> connect() {
    return pool.connect();
  }

  @Override
  public Future<Void> close() {
    synchronized (this) {
      connection = null;
    }
    return pool.close();
  }

  private synchronized Future<RedisConnection> connection() {
    if (connection == null) {
      Future<RedisConnection> connecting = pool.connect();
      connection = connecting;
      connecting.onComplete(made -> {
        if (made.failed()) {
          forget(connecting);
        } else {
          made.result().exceptionHandler(error -> forget(connecting)).endHandler(ended -> forget(connecting));
        }
      });
    }
    return connection;
  }

  /** Lets the next command make a new connection, unless one was made since {@code broken}. */
  private synchronized void forget(Future<RedisConnection> broken) {
    if (connection == broken) {
      connection = null;
      broken.onSuccess(RedisConnection::close);
    }
  }
}
