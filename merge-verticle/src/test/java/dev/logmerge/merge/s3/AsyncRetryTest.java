package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

class AsyncRetryTest {
  private static final RetryPolicy QUICK =
      new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(2));

  @Test
  void retriesTransientFailuresUntilSuccess() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> result =
        AsyncRetry.run(
            QUICK,
            "test",
            () ->
                attempts.incrementAndGet() < 3
                    ? CompletableFuture.failedFuture(new ConnectException("refused"))
                    : CompletableFuture.completedFuture("done"));

    assertEquals("done", result.get(10, TimeUnit.SECONDS));
    assertEquals(3, attempts.get());
  }

  @Test
  void doesNotRetryPermanentFailures() {
    AtomicInteger attempts = new AtomicInteger();
    S3Exception notFound = s3Error(404, "NoSuchKey");
    CompletableFuture<String> result =
        AsyncRetry.run(
            QUICK,
            "test",
            () -> {
              attempts.incrementAndGet();
              return CompletableFuture.failedFuture(notFound);
            });

    ExecutionException error =
        assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
    assertSame(notFound, error.getCause());
    assertEquals(1, attempts.get());
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastFailure() {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> result =
        AsyncRetry.run(
            QUICK,
            "test",
            () ->
                CompletableFuture.failedFuture(
                    new IOException("reset " + attempts.incrementAndGet())));

    ExecutionException error =
        assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
    assertEquals("reset 4", error.getCause().getMessage());
    assertEquals(4, attempts.get());
  }

  @Test
  void retriesThrottlingAnswers() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> result =
        AsyncRetry.run(
            QUICK,
            "test",
            () ->
                attempts.incrementAndGet() == 1
                    ? CompletableFuture.failedFuture(s3Error(503, "SlowDown"))
                    : CompletableFuture.completedFuture("done"));

    assertEquals("done", result.get(10, TimeUnit.SECONDS));
  }

  @Test
  void cancellingCancelsTheAttemptInFlightAndStopsRetrying() {
    List<CompletableFuture<String>> started = new CopyOnWriteArrayList<>();
    CompletableFuture<String> result =
        AsyncRetry.run(
            QUICK,
            "test",
            () -> {
              CompletableFuture<String> attempt = new CompletableFuture<>();
              started.add(attempt);
              return attempt;
            });

    result.cancel(true);

    assertEquals(1, started.size());
    assertTrue(started.get(0).isCancelled());
  }

  static S3Exception s3Error(int status, String code) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
            .build();
  }
}
