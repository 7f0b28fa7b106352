package dev.logmerge.http;

import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobResult;
import dev.logmerge.core.metrics.LogmergeMeters;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a finished job's merged file: 200 with the whole object, 206 for a single byte range, 304
 * when the client's copy is current, 416 for a range outside the file; headers only for HEAD. The
 * body is relayed from S3's response to the client's on one event loop ({@link BodyRelay}), with
 * back-pressure: a slow client slows the S3 read, and the file is never held whole in memory.
 *
 * <p>With a {@link ResultRedirect}, a GET that would get the file (200 or 206) is answered 307 to a
 * presigned URL instead, and S3 sends the bytes; 304, 416, HEAD and a result gone from S3 are
 * answered here as without it.
 */
final class ResultResponder {
  private static final Logger LOG = LoggerFactory.getLogger(ResultResponder.class);
  // not among Vert.x's HttpHeaders constants
  private static final String RANGE = "Range";
  private static final String IF_RANGE = "If-Range";

  /** Of every download, relayed or redirected. */
  static final String CONTENT_TYPE = "text/plain; charset=utf-8";

  private final ResultFetcher fetcher;
  private final Duration bodyIdleTimeout;
  private final ResultRedirect redirect;
  private final LogmergeMeters meters;

  /**
   * @param bodyIdleTimeout how long S3's body may wait for the client before the download is cut
   * @param redirect where clients are sent to fetch the file themselves; null: it is relayed
   * @param meters where relayed downloads and their bytes are counted
   */
  ResultResponder(
      ResultFetcher fetcher,
      Duration bodyIdleTimeout,
      ResultRedirect redirect,
      LogmergeMeters meters) {
    this.fetcher = fetcher;
    this.bodyIdleTimeout = bodyIdleTimeout;
    this.redirect = redirect;
    this.meters = meters;
  }

  /** Answers the request with the result of a DONE job. */
  Future<Void> send(RoutingContext ctx, Job job) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    JobResult result = job.result();
    EntityTag etag = EntityTag.of(result.etag());
    if (etag.matchesAnyOf(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
      return response.setStatusCode(304).putHeader(HttpHeaders.ETAG, etag.toString()).end();
    }
    RangeRequest range =
        etag.allowsRange(request.getHeader(IF_RANGE))
            ? RangeRequest.of(request.getHeader(RANGE), result.size())
            : new RangeRequest.Whole();
    if (range instanceof RangeRequest.Unsatisfiable) {
      return Future.failedFuture(
          unsatisfiable(request.getHeader(RANGE), result.size()).toException());
    }
    if (redirect != null && request.method() == HttpMethod.GET) {
      return redirect(response, result, contentDisposition(job));
    }
    RangeRequest.Slice slice = range instanceof RangeRequest.Slice s ? s : null;
    response
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .putHeader(HttpHeaders.CONTENT_DISPOSITION, contentDisposition(job))
        .putHeader(HttpHeaders.ETAG, etag.toString())
        .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    if (slice != null) {
      response
          .setStatusCode(206)
          .putHeader(HttpHeaders.CONTENT_RANGE, slice.contentRange(result.size()));
    }
    if (request.method() == HttpMethod.HEAD) {
      long length = slice != null ? slice.length() : result.size();
      return fetcher
          .checkPresent(result)
          .compose(
              present ->
                  response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length)).end());
    }
    return fetcher.open(result, slice).compose(body -> stream(job, response, body));
  }

  /**
   * 307 to the file on S3, once S3 still has it (a result gone is told as the relay tells it). The
   * client repeats its Range there; the URL is a credential for a few minutes: never cached.
   */
  private Future<Void> redirect(
      HttpServerResponse response, JobResult result, String contentDisposition) {
    return fetcher
        .checkPresent(result)
        .compose(
            present ->
                response
                    .setStatusCode(307)
                    .putHeader(
                        HttpHeaders.LOCATION,
                        redirect.locationOf(result, contentDisposition).toString())
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end());
  }

  private Future<Void> stream(Job job, HttpServerResponse response, HttpClientResponse body) {
    // the length S3 is about to send, so the client can tell a complete download from a cut one
    String length = body.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    } else {
      response.setChunked(true);
    }
    meters.downloadStarted();
    return BodyRelay.start(body, response)
        .transform(
            relayed -> {
              meters.downloadEnded(response.bytesWritten());
              if (relayed.succeeded()) {
                switch (relayed.result()) {
                  case COMPLETE -> {}
                  case CLIENT_LEFT ->
                      LOG.debug("download of job {} stopped: the client went away", job.id());
                  case CLIENT_STALLED -> {
                    LOG.info(
                        "download of job {} cut: the client stopped reading for over {} s",
                        job.id(),
                        bodyIdleTimeout.toSeconds());
                    response.reset();
                  }
                }
                return Future.succeededFuture();
              }
              // 502 if nothing went out yet; after that, the failure handler resets the connection
              String reason =
                  relayed.cause() instanceof TimeoutException
                      ? "S3 sent nothing for " + bodyIdleTimeout.toSeconds() + " s"
                      : ResultFetcher.describe(relayed.cause());
              LOG.warn(
                  "download of job {} aborted: reading the result failed: {}", job.id(), reason);
              return Future.failedFuture(
                  Problem.of(
                          ProblemType.STORAGE_UNAVAILABLE,
                          "reading the merged file from storage failed midway")
                      .toException());
            });
  }

  private static Problem unsatisfiable(String rangeHeader, long size) {
    return Problem.of(
            ProblemType.RANGE_NOT_SATISFIABLE,
            "Range: "
                + ClientValue.quote(rangeHeader)
                + " lies outside the "
                + size
                + " bytes of the merged file")
        .withHeader(HttpHeaders.CONTENT_RANGE.toString(), "bytes */" + size);
  }

  private static String contentDisposition(Job job) {
    return "attachment; filename=\"logs_"
        + job.range().start()
        + "_"
        + job.range().end()
        + ".log\"";
  }
}
