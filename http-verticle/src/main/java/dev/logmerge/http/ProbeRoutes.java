package dev.logmerge.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * The handlers answering {@code GET /health} (liveness), {@code GET /ready} (readiness) and {@code
 * GET /metrics} (Prometheus) on the API's port. The launcher builds them, since they span the whole
 * JVM (Redis, S3, the cluster, the merge verticle, every verticle's meters), not one HTTP verticle.
 *
 * @param metrics null when metrics are switched off: {@code /metrics} is then not found
 */
public record ProbeRoutes(
    Handler<RoutingContext> health,
    Handler<RoutingContext> ready,
    Handler<RoutingContext> metrics) {
  public ProbeRoutes {
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(ready, "ready");
  }
}
