package dev.logmerge.merge.s3;

import dev.logmerge.core.job.JobResult;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The bucket merged results go to, created on demand, and the result objects in it. */
public final class ResultsBucket {
  private ResultsBucket() {}

  /**
   * Creates {@code bucket} unless it exists. Safe to call from every worker at once: "already owned
   * by you" counts as success, and so does any other refusal to create it while the bucket can be
   * reached (a concurrent creator, or a server that words "exists" differently).
   */
  public static CompletableFuture<Void> ensureExists(S3AsyncClient client, String bucket) {
    return client
        .createBucket(b -> b.bucket(bucket))
        .<Void>thenApply(created -> null)
        .exceptionallyCompose(
            createError -> {
              if (isOwnedByUs(createError)) {
                return CompletableFuture.completedFuture(null);
              }
              return client
                  .headBucket(b -> b.bucket(bucket))
                  .<Void>thenApply(exists -> null)
                  .exceptionallyCompose(
                      headError ->
                          CompletableFuture.failedFuture(
                              S3Failures.of(client).creatingBucket(bucket, createError)));
            });
  }

  /**
   * Whether the result object is still stored as it was recorded (same size): a remembered result
   * may have been removed since, by a bucket lifecycle rule or an operator.
   */
  public static CompletableFuture<Boolean> holds(S3AsyncClient client, JobResult result) {
    return client
        .headObject(b -> b.bucket(result.bucket()).key(result.key()))
        .thenApply(head -> head.contentLength() != null && head.contentLength() == result.size())
        .exceptionallyCompose(
            error ->
                isNotFound(error)
                    ? CompletableFuture.completedFuture(false)
                    : CompletableFuture.failedFuture(error));
  }

  /** Deletes a result object no job may serve (its job was cancelled while it was stored). */
  public static CompletableFuture<Void> delete(S3AsyncClient client, JobResult result) {
    return client
        .deleteObject(b -> b.bucket(result.bucket()).key(result.key()))
        .thenApply(deleted -> null);
  }

  private static boolean isNotFound(Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    return cause instanceof SdkServiceException service && service.statusCode() == 404;
  }

  private static boolean isOwnedByUs(Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    return cause instanceof AwsServiceException aws
        && aws.awsErrorDetails() != null
        && "BucketAlreadyOwnedByYou".equals(aws.awsErrorDetails().errorCode());
  }
}
