package dev.logmerge.http;

import dev.logmerge.core.job.JobStoreUnavailableException;
import dev.logmerge.core.job.QueueFullException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last failure handler: turns whatever failed a request into an {@code
 * application/problem+json} answer, so a client never sees a stack trace or an HTML error page. A
 * {@link ProblemException} carries its own problem; a job store that cannot answer (Redis down,
 * slow or refusing: {@code JobStore} bounds each call at {@code REDIS_TIMEOUT}, and refuses calls
 * at once while Redis hangs) or a full queue is 503 with {@code Retry-After}. Expected problems are
 * not logged; anything unexpected is logged once with its exception and answered 500.
 */
final class ProblemResponder implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemResponder.class);
  private static final String PROBLEM_JSON = "application/problem+json";

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      // answered already, or the client left (a write to a closed connection fails): none to tell
      LOG.debug(
          "{} {} failed after its answer",
          ctx.request().method(),
          ctx.request().path(),
          ctx.failure());
      return;
    }
    send(ctx, problemOf(ctx));
  }

  /** Sends the problem, or drops the connection when a response was already under way. */
  static void send(RoutingContext ctx, Problem problem) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // a body is under way with a promised length: only an aborted response tells the client
      response.reset();
      return;
    }
    // drop what a handler had prepared for a success (ETag, Content-Disposition, Content-Length…)
    response.headers().clear();
    response.setStatusCode(problem.status());
    problem.headers().forEach(response::putHeader);
    response
        .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
        .end(JsonReply.encode(problem.toJson(ctx.request().path())));
  }

  private static Problem problemOf(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ProblemException e) {
      return e.problem();
    }
    if (failure instanceof QueueFullException full) {
      return Problem.of(ProblemType.QUEUE_FULL, full.getMessage());
    }
    if (failure instanceof JobStoreUnavailableException) {
      LOG.warn("job store unavailable: {}", failure.toString());
      return Problem.of(
          ProblemType.JOB_STORE_UNAVAILABLE, "the job store cannot be reached; try again shortly");
    }
    int status = ctx.statusCode();
    if (status >= 400 && status < 500) {
      // a 4xx raised inside vertx-web (such as an undecodable query read by a handler); its
      // exception text is not written for clients, so only the status is told
      return Problem.of(
              ProblemType.INVALID_REQUEST,
              "the request was refused: " + HttpResponseStatus.valueOf(status).reasonPhrase())
          .withStatus(status);
    }
    LOG.error("{} {} failed unexpectedly", ctx.request().method(), ctx.request().path(), failure);
    return Problem.of(
        ProblemType.INTERNAL_ERROR,
        "the server could not complete the request; the failure is logged");
  }
}
