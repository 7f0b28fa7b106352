package dev.logmerge.http;

import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobLogger;
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
 * back-pressure: a slow client slows the S3 read, and the file is never held whole in memory. A
 * client that accepts gzip gets the whole file gzip-encoded on the way, chunked, with a tag of its
 * own; a range is served from the stored bytes ({@link ResultVariant}).
 *
 * <p>With a {@link ResultRedirect}, a GET that would get the file (200 or 206) is answered 307 to a
 * presigned URL instead, and S3 sends the bytes; 304, 416, HEAD and a result gone from S3 are
 * answered here as without it, and nothing is compressed: S3 sends the stored bytes.
 */
final class ResultResponder {
  private static final Logger LOG = LoggerFactory.getLogger(ResultResponder.class);

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
    // relayed bytes may be compressed on the way; S3 serves a redirected client the stored bytes
    boolean relayed = redirect == null;
    ResultVariant variant = ResultVariant.of(request, result, relayed);
    if (relayed) {
      // caches must not hand a gzip answer to a client that did not ask for one, nor the reverse
      response.putHeader(HttpHeaders.VARY, "Accept-Encoding");
    }
    if (variant.etag().matchesAnyOf(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
      return response
          .setStatusCode(304)
          .putHeader(HttpHeaders.ETAG, variant.etag().toString())
          .end();
    }
    if (variant.range() instanceof RangeRequest.Unsatisfiable) {
      return Future.failedFuture(
          unsatisfiable(request.getHeader(ResultVariant.RANGE), result.size()).toException());
    }
    if (!relayed && request.method() == HttpMethod.GET) {
      return redirect(response, result, contentDisposition(job));
    }
    RangeRequest.Slice slice = variant.range() instanceof RangeRequest.Slice s ? s : null;
    response
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .putHeader(HttpHeaders.CONTENT_DISPOSITION, contentDisposition(job))
        .putHeader(HttpHeaders.ETAG, variant.etag().toString())
        .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    if (variant.gzip()) {
      // compressed as it streams: its length is known only at the end, so it is sent chunked
      response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip").setChunked(true);
    }
    if (slice != null) {
      response
          .setStatusCode(206)
          .putHeader(HttpHeaders.CONTENT_RANGE, slice.contentRange(result.size()));
    }
    if (request.method() == HttpMethod.HEAD) {
      if (!variant.gzip()) {
        long length = slice != null ? slice.length() : result.size();
        response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
      }
      return fetcher.checkPresent(result).compose(present -> response.end());
    }
    return fetcher.open(result, slice).compose(body -> stream(job, response, body, variant));
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

  private Future<Void> stream(
      Job job, HttpServerResponse response, HttpClientResponse body, ResultVariant variant) {
    if (!variant.gzip()) {
      // the length S3 is about to send, so the client can tell a complete download from a cut one
      String length = body.getHeader(HttpHeaders.CONTENT_LENGTH);
      if (length != null) {
        response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
      } else {
        response.setChunked(true);
      }
    }
    JobLogger log = new JobLogger(LOG, job.id(), null);
    meters.downloadStarted();
    return BodyRelay.start(body, response, variant.encoder())
        .transform(
            relayed -> {
              meters.downloadEnded(response.bytesWritten());
              if (relayed.succeeded()) {
                switch (relayed.result()) {
                  case COMPLETE -> {}
                  case CLIENT_LEFT ->
                      log.debug("download of job {} stopped: the client went away", job.id());
                  case CLIENT_STALLED -> {
                    log.info(
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
              log.warn(
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
