package dev.logmerge.core.job;

import dev.logmerge.core.config.RedisCallPolicy;
import dev.logmerge.core.metrics.LogmergeMeters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way every job-store round trip to Redis goes: bounded by {@code REDIS_TIMEOUT}, measured, and
 * refused at once while Redis does not answer. After {@code REDIS_BREAKER_TRIP_AFTER} round trips
 * in a row timed out or lost their connection, the {@link RedisBreaker} trips: calls fail at once
 * with {@link JobStoreUnavailableException} (the API's 503), the connection is dropped, and every
 * {@code REDIS_BREAKER_PROBE_INTERVAL} one PING on a new connection asks whether Redis answers; its
 * answer lets calls through again over that connection.
 */
final class RedisCallGuard {
  private static final Logger LOG = LoggerFactory.getLogger(RedisCallGuard.class);

  /** Why a call refused by the open breaker failed; no stack: it says all there is. */
  private static final Exception REFUSED =
      new Exception(
          "Redis stopped answering; calls fail at once until it answers a PING",
          null,
          false,
          false) {};

  private final Vertx vertx;
  private final PipelinedRedis client;
  private final RedisCallPolicy policy;
  private final LogmergeMeters meters;
  private final RedisBreaker breaker;
  private final Runnable unwatch;
  private volatile boolean closed;

  RedisCallGuard(
      Vertx vertx, PipelinedRedis client, RedisCallPolicy policy, LogmergeMeters meters) {
    this.vertx = vertx;
    this.client = client;
    this.policy = policy;
    this.meters = meters;
    this.breaker = new RedisBreaker(policy.tripAfter());
    this.unwatch = meters.watchRedisBreaker(breaker::refusing);
  }

  /**
   * One Redis round trip, started by {@code roundTrip} unless the breaker refuses it, bounded in
   * time and measured under {@code operation}; any failure of it is an outage, typed as such.
   */
  <T> Future<T> call(String operation, Supplier<Future<T>> roundTrip) {
    long ticket = breaker.admit();
    if (ticket == RedisBreaker.REFUSED) {
      meters.redisCallRefused();
      return Future.failedFuture(new JobStoreUnavailableException(REFUSED));
    }
    return bounded(operation, roundTrip, ticket)
        .recover(error -> Future.failedFuture(new JobStoreUnavailableException(error)));
  }

  /** Stops probing; the client is the store's to close. */
  void close() {
    closed = true;
    unwatch.run();
  }

  /**
   * The round trip, failed with a {@link TimeoutException} when it has no answer in time, its
   * outcome measured and told to the breaker. A ticket of {@link RedisBreaker#REFUSED} marks the
   * probe, whose outcome its caller reports.
   */
  private <T> Future<T> bounded(String operation, Supplier<Future<T>> roundTrip, long ticket) {
    long started = System.nanoTime();
    Future<T> sent;
    try {
      sent = roundTrip.get();
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    // a timer of the caller's event loop: the client's futures carry no context, so Future.timeout
    // would schedule (and cancel) each bound on Netty's global executor thread, a thread hop and a
    // wake-up per command
    Promise<T> bounded = Promise.promise();
    // whichever comes first, answer or timeout, settles the call; the breaker hears of it before
    // the caller does, so a caller that saw the outage that tripped it finds it open
    AtomicBoolean settled = new AtomicBoolean();
    long timeoutMs = policy.timeout().toMillis();
    long timer =
        vertx.setTimer(
            timeoutMs,
            expired -> {
              if (settled.compareAndSet(false, true)) {
                meters.redisCall(operation, System.nanoTime() - started, true);
                outage(ticket);
                bounded.fail(
                    new TimeoutException("no answer from Redis within " + timeoutMs + " ms"));
              }
            });
    sent.onComplete(
        answered -> {
          vertx.cancelTimer(timer);
          if (!settled.compareAndSet(false, true)) {
            return;
          }
          meters.redisCall(operation, System.nanoTime() - started, answered.failed());
          if (answered.succeeded() || !isOutage(answered.cause())) {
            if (ticket != RedisBreaker.REFUSED) {
              breaker.answered(ticket);
            }
          } else {
            outage(ticket);
          }
          bounded.handle(answered);
        });
    return bounded.future();
  }

  /**
   * Whether a failure means Redis cannot be reached: anything but an error reply, which Redis sends
   * when it is there (the client reports a connection closed under a command as a reply of its own,
   * which is an outage), and a write refused by a replica: the master this store reached was
   * demoted by a failover, and the store is finding the new one.
   */
  static boolean isOutage(Throwable failure) {
    return !(failure instanceof Response)
        || "CONNECTION_CLOSED".equals(failure.getMessage())
        || PipelinedRedis.isReplicaRefusal(failure);
  }

  private void outage(long ticket) {
    if (ticket != RedisBreaker.REFUSED && breaker.failed(ticket)) {
      meters.redisBreakerTripped();
      LOG.warn(
          "Redis did not answer {} calls in a row: job-store calls fail at once until it answers a"
              + " PING (every {} ms); connection dropped",
          policy.tripAfter(),
          policy.probeInterval().toMillis());
      client.drop();
      scheduleProbe();
    }
  }

  private void scheduleProbe() {
    if (!closed) {
      vertx.setTimer(policy.probeInterval().toMillis(), due -> probe());
    }
  }

  private void probe() {
    if (closed || !breaker.startProbe()) {
      return;
    }
    bounded("probe", () -> client.send(Request.cmd(Command.PING)), RedisBreaker.REFUSED)
        .onComplete(
            answer -> {
              if (answer.succeeded() || !isOutage(answer.cause())) {
                breaker.probeAnswered();
                LOG.info("Redis answers again: job-store calls go through");
              } else {
                breaker.probeFailed();
                client.drop();
                scheduleProbe();
              }
            });
  }
}
