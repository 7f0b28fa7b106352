package dev.logmerge.merge.s3;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The bucket merged results go to, created on demand. */
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

  private static boolean isOwnedByUs(Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    return cause instanceof AwsServiceException aws
        && aws.awsErrorDetails() != null
        && "BucketAlreadyOwnedByYou".equals(aws.awsErrorDetails().errorCode());
  }
}
