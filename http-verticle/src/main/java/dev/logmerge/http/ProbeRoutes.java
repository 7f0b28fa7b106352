package dev.logmerge.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * The handlers answering {@code GET /health} (liveness) and {@code GET /ready} (readiness) on the
 * API's port. The launcher builds them, since the checks span the whole JVM (Redis, S3, the
 * cluster, the merge verticle), not one HTTP verticle.
 */
public record ProbeRoutes(Handler<RoutingContext> health, Handler<RoutingContext> ready) {
  public ProbeRoutes {
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(ready, "ready");
  }
}
