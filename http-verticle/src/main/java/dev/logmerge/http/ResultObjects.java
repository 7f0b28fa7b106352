package dev.logmerge.http;

import dev.logmerge.core.job.JobResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Merged results in S3, read for download. Answers arrive back on the verticle's context. A result that is
 * gone fails with a 404 {@code result-expired} problem; any other S3 failure with 502.
 */
final class ResultObjects {
  private static final Logger LOG = LoggerFactory.getLogger(ResultObjects.class);

  private final S3AsyncClient s3;
  private final Context context;

  ResultObjects(S3AsyncClient s3, Context context) {
    this.s3 = s3;
    this.context = context;
  }

  /**
   * Starts a GetObject of the result, or of the slice when not null. Succeeds once S3 has answered with
   * headers; the body is then a publisher that must be subscribed to (or cancelled) to free the connection.
   */
  Future<ResponsePublisher<GetObjectResponse>> open(JobResult result, RangeRequest.Slice slice) {
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(result.bucket()).key(result.key());
    if (slice != null) {
      request.range(slice.toHeader());
    }
    return onContext(s3.getObject(request.build(), AsyncResponseTransformer.toPublisher()), result);
  }

  /** Succeeds when the result object still exists (for HEAD requests, which send no body). */
  Future<Void> checkPresent(JobResult result) {
    HeadObjectRequest request = HeadObjectRequest.builder().bucket(result.bucket()).key(result.key()).build();
    return onContext(s3.headObject(request), result).mapEmpty();
  }

  private <T> Future<T> onContext(CompletableFuture<T> call, JobResult result) {
    return Future.fromCompletionStage(call, context).recover(error -> Future.failedFuture(problemOf(unwrap(error), result)));
  }

  private static ProblemException problemOf(Throwable error, JobResult result) {
    if (error instanceof S3Exception s3Error && s3Error.statusCode() == 404) {
      return Problem.of(ProblemType.RESULT_EXPIRED, "the merged file of this job is no longer stored; initiate the job again")
          .toException();
    }
    LOG.warn("cannot read result s3://{}/{}: {}", result.bucket(), result.key(), error.toString());
    return Problem.of(ProblemType.STORAGE_UNAVAILABLE, "the merged file cannot be read from storage right now")
        .toException();
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
