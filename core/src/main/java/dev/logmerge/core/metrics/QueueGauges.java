package dev.logmerge.core.metrics;

import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.job.QueueDepths;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * The gauges {@code logmerge_jobs_queued} and {@code logmerge_jobs_running}, read from Redis (the
 * ZCARD of {@code jobs:queued} and {@code jobs:running}: every JVM sees the whole deployment's
 * queue). Redis is read only when a scrape asks for the values through {@link #refresh()}, and at
 * most once per {@code minAge}, however many scrapes and gauges: scrapes in between, or during a
 * read, get the last values. A failed read makes both gauges NaN (unknown) until the next one. Safe
 * from any thread: the {@code /metrics} handlers of one JVM run on several event loops.
 */
public final class QueueGauges implements AutoCloseable {
  private final JobStore store;
  private final Duration minAge;
  private final LogmergeMeters meters;
  private final List<Meter> gauges;
  private volatile double queued = Double.NaN;
  private volatile double running = Double.NaN;
  private long readAtNanos;
  private Future<Void> reading; // the read in flight, shared by the scrapes that wait for it

  /**
   * @param store read with {@link JobStore#queueDepths()}; closed with these gauges
   * @param minAge how long values read from Redis are served before it is read again
   */
  public QueueGauges(JobStore store, Duration minAge, LogmergeMeters meters) {
    this.store = store;
    this.minAge = minAge;
    this.meters = meters;
    // as if read long ago: the first refresh reads
    this.readAtNanos = System.nanoTime() - minAge.toNanos() - 1;
    this.gauges =
        List.of(
            Gauge.builder("logmerge.jobs.queued", this, gauges -> gauges.queued)
                .description("jobs waiting to be claimed, in the whole deployment (from Redis)")
                .strongReference(true)
                .register(meters.registry()),
            Gauge.builder("logmerge.jobs.running", this, gauges -> gauges.running)
                .description("jobs held by a worker, in the whole deployment (from Redis)")
                .strongReference(true)
                .register(meters.registry()));
  }

  /**
   * Reads Redis unless the values are younger than {@code minAge}; completes (never failed) once
   * the gauges hold the values to serve.
   */
  public synchronized Future<Void> refresh() {
    if (reading != null) {
      return reading;
    }
    if (System.nanoTime() - readAtNanos < minAge.toNanos()) {
      return Future.succeededFuture();
    }
    Future<Void> read =
        store
            .queueDepths()
            .transform(
                answered -> {
                  QueueDepths depths = answered.succeeded() ? answered.result() : null;
                  queued = depths == null ? Double.NaN : depths.queued();
                  running = depths == null ? Double.NaN : depths.running();
                  synchronized (this) {
                    readAtNanos = System.nanoTime();
                    reading = null;
                  }
                  return Future.<Void>succeededFuture();
                });
    // a read that answered at once has already cleared its own place
    if (!read.isComplete()) {
      reading = read;
    }
    return read;
  }

  @Override
  public void close() {
    gauges.forEach(meters.registry()::remove);
    store.close();
  }
}
