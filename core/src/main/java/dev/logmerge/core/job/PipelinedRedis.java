package dev.logmerge.core.job;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The job store's way to Redis: every command pipelined over one connection, many in flight,
 * replies matched in order. The pooled client puts one command at a time on a connection, so each
 * command pays for its own wake-ups, reads and writes, in this JVM and in Redis; on one connection
 * Redis reads a burst of commands and writes their replies at once. The connection is made on first
 * use and made again after it broke, so an outage lasts as long as Redis is away, no longer.
 *
 * <p>A connection that hangs (Redis stopped, a network path that drops packets) breaks nothing the
 * client can see, so it would be handed out again forever: {@link #drop()} lets go of the client
 * with every socket it holds, and the next command connects through a new one. The client comes
 * from a factory, so whatever kind of client it makes (a Sentinel client resolves the master on
 * each connection) is asked anew.
 *
 * <p>Only for commands that leave no state on the connection (no MULTI, SELECT, blocking commands
 * or subscriptions): the job store sends single commands and Lua scripts.
 */
final class PipelinedRedis implements Redis {
  private final Vertx vertx;
  private final Supplier<Redis> clients;
  private Redis pool; // guarded by this
  private boolean closed; // guarded by this
  private Future<RedisConnection> connection; // guarded by this
  private List<Request> reads = new ArrayList<>();
  private List<Promise<Response>> readReplies = new ArrayList<>();

  /**
   * @param clients makes the client that connections come from: one now, another after each {@link
   *     #drop()}
   */
  PipelinedRedis(Vertx vertx, Supplier<Redis> clients) {
    this.vertx = vertx;
    this.clients = clients;
    this.pool = clients.get();
  }

  @Override
  public Future<Response> send(Request command) {
    Future<RedisConnection> on = connection();
    return on.compose(open -> open.send(command)).onFailure(error -> leaveIfReplica(on, error));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    Future<RedisConnection> on = connection();
    return on.compose(open -> open.batch(commands)).onFailure(error -> leaveIfReplica(on, error));
  }

  /**
   * Whether Redis refused a write because it is a replica now: after a failover the old master
   * comes back as one, and a connection made to it (before Sentinel demoted it, or from an address
   * cached a moment too long) stays open and answers every write so, for good. A script's write is
   * refused inside its error message.
   */
  static boolean isReplicaRefusal(Throwable failure) {
    String message = failure.getMessage();
    return failure instanceof Response
        && message != null
        && (message.startsWith("READONLY ") || message.contains("-READONLY "));
  }

  /**
   * Lets go of the client whose connection {@code on} was answered by a replica, so the next
   * command asks for the master anew (a Sentinel client asks the sentinels); unless that connection
   * is no longer the one in use.
   */
  private void leaveIfReplica(Future<RedisConnection> on, Throwable error) {
    if (isReplicaRefusal(error)) {
      replaceClient(on);
    }
  }

  /**
   * Sends a command that Redis never answers with an error (such as HGETALL of a hash key) in one
   * write with the other reads asked for in the same event-loop turn: polls of many jobs arriving
   * together cost one write here and one read in Redis. Each read is still sent after it was asked
   * for, so its reply is as fresh as {@link #send}'s. (A batch fails as a whole if any of its
   * commands is answered with an error.)
   */
  Future<Response> read(Request command) {
    Promise<Response> reply = Promise.promise();
    boolean firstOfTurn;
    synchronized (this) {
      firstOfTurn = reads.isEmpty();
      reads.add(command);
      readReplies.add(reply);
    }
    if (firstOfTurn) {
      // runs once the event loop has handled the I/O it woke up for, and the reads it brought
      vertx.runOnContext(turnEnded -> sendReads());
    }
    return reply.future();
  }

  /** A connection of the caller's own, from the pool; not the shared one. */
  @Override
  public synchronized Future<RedisConnection> connect() {
    return pool.connect();
  }

  /**
   * Closes the client and every connection it made (commands waiting on them fail at once) and
   * makes a new client, whose first command connects anew. Does nothing once closed.
   */
  void drop() {
    replaceClient(null);
  }

  /**
   * Closes the client and makes a new one; with {@code onlyWhileUsing}, only while that connection
   * is still the one in use.
   */
  private void replaceClient(Future<RedisConnection> onlyWhileUsing) {
    Redis dropped;
    synchronized (this) {
      if (closed || (onlyWhileUsing != null && connection != onlyWhileUsing)) {
        return;
      }
      dropped = pool;
      connection = null;
      pool = clients.get();
    }
    dropped.close();
  }

  @Override
  public Future<Void> close() {
    Redis closing;
    synchronized (this) {
      closed = true;
      connection = null;
      closing = pool;
    }
    return closing.close();
  }

  private void sendReads() {
    List<Request> commands;
    List<Promise<Response>> replies;
    synchronized (this) {
      commands = reads;
      replies = readReplies;
      reads = new ArrayList<>();
      readReplies = new ArrayList<>();
    }
    if (commands.size() == 1) {
      send(commands.get(0)).onComplete(replies.get(0));
      return;
    }
    batch(commands)
        .onComplete(
            answered -> {
              for (int i = 0; i < replies.size(); i++) {
                if (answered.succeeded()) {
                  replies.get(i).complete(answered.result().get(i));
                } else {
                  replies.get(i).fail(answered.cause());
                }
              }
            });
  }

  private synchronized Future<RedisConnection> connection() {
    if (connection == null) {
      Future<RedisConnection> connecting = pool.connect();
      connection = connecting;
      // a connect that fails at once (the client is closed) is forgotten before this returns
      connecting.onComplete(
          made -> {
            if (made.failed()) {
              forget(connecting);
            } else {
              made.result()
                  .exceptionHandler(error -> forget(connecting))
                  .endHandler(ended -> forget(connecting));
            }
          });
      return connecting;
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
