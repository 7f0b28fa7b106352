package dev.logmerge.merge.s3;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an asynchronous S3 request again after a transient failure, with the backoff of a {@link
 * RetryPolicy}, and without holding a thread while it waits. Cancelling the returned future cancels
 * the attempt in flight (the SDK then aborts the HTTP request) and stops further attempts.
 */
final class AsyncRetry<T> {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncRetry.class);

  private final RetryPolicy policy;
  private final String description;
  private final Supplier<? extends CompletableFuture<T>> request;
  private final CompletableFuture<T> result = new CompletableFuture<>();
  private volatile CompletableFuture<T> current;

  private AsyncRetry(
      RetryPolicy policy, String description, Supplier<? extends CompletableFuture<T>> request) {
    this.policy = policy;
    this.description = description;
    this.request = request;
    result.whenComplete(
        (value, error) -> {
          CompletableFuture<T> attempt = current;
          if (result.isCancelled() && attempt != null) {
            attempt.cancel(true);
          }
        });
  }

  /**
   * Starts {@code request} and retries it while it fails transiently. The result fails with the
   * last attempt's failure, as the SDK reported it.
   *
   * @param description what the request does, for debug logs, e.g. "GET logs/2019-08-17_1
   *     bytes=0-1023"
   */
  static <T> CompletableFuture<T> run(
      RetryPolicy policy, String description, Supplier<? extends CompletableFuture<T>> request) {
    AsyncRetry<T> retry = new AsyncRetry<>(policy, description, request);
    retry.attempt(1);
    return retry.result;
  }

  private void attempt(int number) {
    if (result.isDone()) {
      return;
    }
    CompletableFuture<T> attempt;
    try {
      attempt = request.get();
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    current = attempt;
    if (result.isCancelled()) {
      attempt.cancel(true); // cancelled while this attempt was being started
      return;
    }
    attempt.whenComplete(
        (value, error) -> {
          if (error == null) {
            result.complete(value);
          } else if (number < policy.maxAttempts()
              && S3Failures.isTransient(error)
              && !result.isDone()) {
            long pauseNanos = policy.backoffBeforeRetry(number).toNanos();
            LOG.debug(
                "{} failed (attempt {} of {}), retrying in {} ms: {}",
                description,
                number,
                policy.maxAttempts(),
                TimeUnit.NANOSECONDS.toMillis(pauseNanos),
                error.toString());
            CompletableFuture.delayedExecutor(
                    pauseNanos, TimeUnit.NANOSECONDS, ForkJoinPool.commonPool())
                .execute(() -> attempt(number + 1));
          } else {
            result.completeExceptionally(error);
          }
        });
  }
}
