package dev.logmerge.launcher;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.job.JobStore;
import dev.logmerge.core.job.RedisEndpoints;
import dev.logmerge.core.metrics.LogmergeMeters;
import dev.logmerge.core.metrics.QueueGauges;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.time.Duration;

/**
 * One JVM's metrics: the Prometheus registry that Vert.x ({@link VertxFactory}) and logmerge's own
 * {@link LogmergeMeters} write to, and the {@code GET /metrics} handler that serves it in the
 * Prometheus text format. With {@code METRICS_ENABLED=false} there is no registry: the meters go
 * nowhere and there is no handler.
 */
final class PrometheusMetrics implements AutoCloseable {
  /**
   * How long the queue gauges read from Redis are served before a scrape reads them again: one read
   * per JVM per typical scrape interval (15 s), whatever the number of scrapers.
   */
  static final Duration QUEUE_GAUGES_MAX_AGE = Duration.ofSeconds(10);

  private final PrometheusMeterRegistry registry;
  private final LogmergeMeters meters;
  private QueueGauges queueGauges;

  private PrometheusMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.meters = registry == null ? LogmergeMeters.none() : new LogmergeMeters(registry);
  }

  /** The metrics of a JVM with this configuration; none with {@code METRICS_ENABLED=false}. */
  static PrometheusMetrics create(LogmergeConfig config) {
    if (!config.metricsEnabled()) {
      return new PrometheusMetrics(null);
    }
    return new PrometheusMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** The registry to build Vert.x with; null when metrics are off. */
  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** logmerge's own meters, for the verticles. */
  LogmergeMeters meters() {
    return meters;
  }

  /**
   * The {@code GET /metrics} handler, null when metrics are off; call once per JVM (it opens the
   * queue gauges' Redis connection, closed with this). Each scrape first refreshes the queue gauges
   * from Redis, unless they are younger than {@link #QUEUE_GAUGES_MAX_AGE}.
   */
  Handler<RoutingContext> scrapeHandler(Vertx vertx, LogmergeConfig config) {
    if (registry == null) {
      return null;
    }
    queueGauges =
        new QueueGauges(
            JobStore.connect(
                vertx, RedisEndpoints.of(config), config.redisCalls(), config.jobs(), meters),
            QUEUE_GAUGES_MAX_AGE,
            meters);
    Handler<RoutingContext> scrape = PrometheusScrapingHandler.create(registry);
    QueueGauges gauges = queueGauges;
    return ctx -> gauges.refresh().onComplete(refreshed -> scrape.handle(ctx));
  }

  @Override
  public void close() {
    if (queueGauges != null) {
      queueGauges.close();
    }
    if (registry != null) {
      registry.close();
    }
  }
}
