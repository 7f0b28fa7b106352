package dev.logmerge.http;

import dev.logmerge.core.job.JobResult;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Fetches a job's merged result from S3 for a download, with the verticle's own HTTP client and
 * SigV4 presigned URLs: the body arrives on the verticle's event loop as Vert.x buffers, to be
 * relayed to the client without the SDK's thread hops and copies. A result that is gone fails with
 * a 404 {@code result-expired} problem; an S3 that cannot be reached, does not answer in time or
 * answers with an error fails with 502 {@code storage-unavailable}.
 */
final class ResultFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(ResultFetcher.class);

  /** Used at once; the margin only absorbs clock skew between this host and S3. */
  private static final Duration URL_VALIDITY = Duration.ofMinutes(15);

  private final HttpClient http;
  private final S3Presigner presigner;
  private final S3FetchSettings settings;

  ResultFetcher(HttpClient http, S3Presigner presigner, S3FetchSettings settings) {
    this.http = http;
    this.presigner = presigner;
    this.settings = settings;
  }

  /**
   * GETs the result, or the slice when not null. Succeeds once S3 has answered 200 (206 for a
   * slice) with its headers; the body is then paused, and must be read or its {@linkplain
   * HttpClientResponse#request() request} reset to free the connection.
   */
  Future<HttpClientResponse> open(JobResult result, RangeRequest.Slice slice) {
    // the Range is signed into the URL: S3 then serves exactly the bytes this request was made for
    String range = slice == null ? null : slice.toHeader();
    PresignedRequest presigned =
        presigner.presignGetObject(
            p ->
                p.signatureDuration(URL_VALIDITY)
                    .getObjectRequest(
                        r -> r.bucket(result.bucket()).key(result.key()).range(range)));
    return fetch(HttpMethod.GET, presigned, slice == null ? 200 : 206, result);
  }

  /** Succeeds when the result object still exists (for HEAD requests, which send no body). */
  Future<Void> checkPresent(JobResult result) {
    PresignedRequest presigned =
        presigner.presignHeadObject(
            p ->
                p.signatureDuration(URL_VALIDITY)
                    .headObjectRequest(r -> r.bucket(result.bucket()).key(result.key())));
    return fetch(HttpMethod.HEAD, presigned, 200, result)
        .compose(response -> response.resume().end());
  }

  private Future<HttpClientResponse> fetch(
      HttpMethod method, PresignedRequest presigned, int expectedStatus, JobResult result) {
    return http.request(requestOptions(method, presigned, settings))
        .recover(
            error -> Future.failedFuture(unavailable(result, "no connection: " + describe(error))))
        .compose(
            request -> {
              // failures are told with the response; without this handler Vert.x logs each at ERROR
              request
                  .connection()
                  .exceptionHandler(
                      error -> LOG.debug("S3 connection failed: {}", describe(error)));
              return request
                  .send()
                  .transform(
                      answer ->
                          answer.succeeded()
                              ? accept(answer.result(), expectedStatus, result)
                              : Future.failedFuture(
                                  unavailable(
                                      result,
                                      answer.cause() instanceof TimeoutException
                                          ? "no answer within "
                                              + settings.headersTimeout().toSeconds()
                                              + " s"
                                          : describe(answer.cause()))));
            });
  }

  private Future<HttpClientResponse> accept(
      HttpClientResponse response, int expectedStatus, JobResult result) {
    if (response.statusCode() != expectedStatus) {
      // S3's error document is small: read it, so the connection goes back to the pool
      return response
          .body()
          .transform(body -> Future.failedFuture(statusProblem(response.statusCode(), result)));
    }
    response.pause();
    // the head came in time; from now on only a stalled body ends the request
    response.request().idleTimeout(settings.bodyIdleTimeout().toMillis());
    return Future.succeededFuture(response);
  }

  /**
   * The request for a presigned URL: target and TLS from the URL (https for AWS), and every header
   * that was signed, the {@code Host} included, so what is sent is what was signed.
   */
  static RequestOptions requestOptions(
      HttpMethod method, PresignedRequest presigned, S3FetchSettings settings) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(presigned.url())
            .setConnectTimeout(settings.connectTimeout().toMillis())
            .setIdleTimeout(settings.headersTimeout().toMillis());
    presigned
        .signedHeaders()
        .forEach((name, values) -> values.forEach(value -> options.addHeader(name, value)));
    return options;
  }

  private static ProblemException statusProblem(int status, JobResult result) {
    if (status == 404) {
      return Problem.of(
              ProblemType.RESULT_EXPIRED,
              "the merged file of this job is no longer stored; initiate the job again")
          .toException();
    }
    return unavailable(result, "S3 answered " + status);
  }

  private static ProblemException unavailable(JobResult result, String reason) {
    LOG.warn("cannot read result s3://{}/{}: {}", result.bucket(), result.key(), reason);
    return Problem.of(
            ProblemType.STORAGE_UNAVAILABLE,
            "the merged file cannot be read from storage right now")
        .toException();
  }

  /**
   * A failure for the log, without the presigned URL's query: its signature is a credential while
   * it is valid.
   */
  static String describe(Throwable error) {
    return error.toString().replaceAll("\\?\\S*", "?…");
  }
}
