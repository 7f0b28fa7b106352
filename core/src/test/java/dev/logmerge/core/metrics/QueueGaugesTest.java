package dev.logmerge.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.RedisServerExtension;
import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.job.JobStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The queue gauges against a real redis-server: what they read, and how seldom. */
class QueueGaugesTest {
  private static final DateRange RANGE = DateRange.parse("2019-08-19", "2019-08-20");

  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  private JobStore jobs;
  private SimpleMeterRegistry registry;
  private LogmergeMeters meters;

  @BeforeEach
  void emptyRedis() {
    redis.flush();
    await(redis.inspect().config(List.of("RESETSTAT")));
    jobs = JobStore.connect(redis.vertx(), redis.server().url(), LogmergeConfig.defaults().jobs());
    registry = new SimpleMeterRegistry();
    meters = new LogmergeMeters(registry);
  }

  @AfterEach
  void closeStore() {
    jobs.close();
  }

  @Test
  void readTheQueuedAndRunningJobsOfTheWholeDeployment() {
    for (int i = 0; i < 3; i++) {
      await(jobs.create(RANGE));
    }
    await(jobs.claim("worker-a")).orElseThrow();
    try (QueueGauges gauges = gauges(Duration.ZERO)) {
      await(gauges.refresh());
      assertEquals(2, gauge("logmerge.jobs.queued"));
      assertEquals(1, gauge("logmerge.jobs.running"));

      await(jobs.claim("worker-b")).orElseThrow();
      await(gauges.refresh());
      assertEquals(1, gauge("logmerge.jobs.queued"));
      assertEquals(2, gauge("logmerge.jobs.running"));
    }
  }

  @Test
  void readRedisOnceWithinTheirMaximumAgeHoweverOftenRefreshed() {
    await(jobs.create(RANGE));
    try (QueueGauges gauges = gauges(Duration.ofHours(1))) {
      // create.lua runs a ZCARD of its own (the queue bound): count around the refreshes only
      long before = zcardCalls();
      for (int i = 0; i < 20; i++) {
        await(gauges.refresh());
      }
      assertEquals(2, zcardCalls() - before, "one read: ZCARD of the queued and running jobs");

      await(jobs.create(RANGE));
      await(gauges.refresh());
      assertEquals(1, gauge("logmerge.jobs.queued"), "the value read first, not a newer one");
    }
  }

  @Test
  void refreshesAtOnceShareOneRead() {
    try (QueueGauges gauges = gauges(Duration.ZERO)) {
      // on one event loop, as scrapes are: the read cannot end between the three
      Promise<Void> refreshed = Promise.promise();
      redis
          .vertx()
          .runOnContext(
              now ->
                  Future.all(gauges.refresh(), gauges.refresh(), gauges.refresh())
                      .<Void>mapEmpty()
                      .onComplete(refreshed));
      await(refreshed.future());
      assertEquals(2, zcardCalls());
      assertEquals(0, gauge("logmerge.jobs.queued"));
    }
  }

  @Test
  void areUnknownWhileRedisCannotBeRead() {
    JobStore unreachable =
        JobStore.connect(redis.vertx(), "redis://127.0.0.1:1", LogmergeConfig.defaults().jobs());
    try (QueueGauges gauges = new QueueGauges(unreachable, Duration.ZERO, meters)) {
      await(gauges.refresh());
      assertTrue(Double.isNaN(gauge("logmerge.jobs.queued")));
      assertTrue(Double.isNaN(gauge("logmerge.jobs.running")));
    }
  }

  @Test
  void closingRemovesTheGauges() {
    gauges(Duration.ZERO).close();
    assertEquals(null, registry.find("logmerge.jobs.queued").gauge());
  }

  private QueueGauges gauges(Duration maxAge) {
    return new QueueGauges(
        JobStore.connect(redis.vertx(), redis.server().url(), LogmergeConfig.defaults().jobs()),
        maxAge,
        meters);
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private static long zcardCalls() {
    String stats = await(redis.inspect().info(List.of("commandstats"))).toString();
    String prefix = "cmdstat_zcard:calls=";
    return stats
        .lines()
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length(), line.indexOf(',')))
        .mapToLong(Long::parseLong)
        .findFirst()
        .orElse(0);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
