package dev.logmerge.http;

import dev.logmerge.core.metrics.LogmergeMeters;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Times the API's requests ({@code logmerge_http_requests_seconds}), from the moment a route takes
 * one to the end of its response, body included, labelled by the route's template (such as {@code
 * /download/:id}: never the path, so job ids add no series), the method and the status. A request
 * no route took (404, 405) is timed under route {@value #UNMATCHED}.
 *
 * <p>Each route keeps the timers it has resolved, by method and status, so a request costs a clock
 * read, an end handler and a timer update, and no label lookup. Vert.x's own HTTP server meters
 * look their labels up in the registry on every request, which cost the lightest routes about 15 %
 * of their throughput (docs/BENCHMARKS.md, round 8): they are off.
 *
 * <p>One per router: its timers are kept without locks, for the event loop of that router's
 * verticle.
 */
final class RequestTimer {
  /** The route label of a request no route took. */
  static final String UNMATCHED = "none";

  /** Methods named in the label; any other is "other", so clients cannot add series at will. */
  private static final List<HttpMethod> METHODS =
      List.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.POST,
          HttpMethod.PUT,
          HttpMethod.DELETE,
          HttpMethod.PATCH,
          HttpMethod.OPTIONS,
          HttpMethod.TRACE,
          HttpMethod.CONNECT);

  private static final String OTHER_METHOD = "other";
  private static final int LOWEST_STATUS = 100;
  private static final int HIGHEST_STATUS = 599;

  private final LogmergeMeters meters;

  RequestTimer(LogmergeMeters meters) {
    this.meters = meters;
  }

  /**
   * The first handler of the route with this template: times the request, and passes it on. A
   * platform handler, which Vert.x Web lets go before a route's body handler.
   */
  PlatformHandler route(String template) {
    RouteTimers timers = new RouteTimers(template);
    return new PlatformHandler() {
      @Override
      public void handle(RoutingContext ctx) {
        timers.start(ctx);
        ctx.next();
      }
    };
  }

  /**
   * The router's answer to requests no route took, timed. A request that a route took and passed on
   * (an asset the Swagger UI's files lack) is already timed under that route.
   */
  Handler<RoutingContext> unmatched(Handler<RoutingContext> answer) {
    RouteTimers timers = new RouteTimers(UNMATCHED);
    return ctx -> {
      if (ctx.currentRoute() == null) {
        timers.start(ctx);
      }
      answer.handle(ctx);
    };
  }

  /** One route's timers, resolved on first use of each method and status. */
  private final class RouteTimers {
    private final String route;
    private final Timer[][] byMethodAndStatus = new Timer[METHODS.size() + 1][];

    RouteTimers(String route) {
      this.route = route;
    }

    void start(RoutingContext ctx) {
      long started = System.nanoTime();
      // also called when the connection closes before the response ends
      ctx.addEndHandler(
          ended ->
              timer(ctx.request().method(), ctx.response().getStatusCode())
                  .record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
    }

    private Timer timer(HttpMethod method, int status) {
      int methodIndex = METHODS.indexOf(method);
      if (methodIndex < 0) {
        methodIndex = METHODS.size();
      }
      if (status < LOWEST_STATUS || status > HIGHEST_STATUS) {
        return resolve(methodIndex, status); // no status the API sends
      }
      Timer[] byStatus = byMethodAndStatus[methodIndex];
      if (byStatus == null) {
        byStatus = new Timer[HIGHEST_STATUS - LOWEST_STATUS + 1];
        byMethodAndStatus[methodIndex] = byStatus;
      }
      Timer timer = byStatus[status - LOWEST_STATUS];
      if (timer == null) {
        timer = resolve(methodIndex, status);
        byStatus[status - LOWEST_STATUS] = timer;
      }
      return timer;
    }

    private Timer resolve(int methodIndex, int status) {
      String method = methodIndex < METHODS.size() ? METHODS.get(methodIndex).name() : OTHER_METHOD;
      return meters.httpRequests(route, method, status);
    }
  }
}
