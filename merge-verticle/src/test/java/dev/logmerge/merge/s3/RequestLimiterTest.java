package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RequestLimiterTest {
  private final List<CompletableFuture<Integer>> started = new ArrayList<>();

  private CompletableFuture<Integer> request() {
    CompletableFuture<Integer> request = new CompletableFuture<>();
    started.add(request);
    return request;
  }

  /** Requests started and not yet completed, as S3 would see them. */
  private long inFlight() {
    return started.stream().filter(request -> !request.isDone()).count();
  }

  @Test
  void startsNoMoreThanTheCapAndTheNextWhenOneCompletes() {
    RequestLimiter limiter = new RequestLimiter(2);
    List<CompletableFuture<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      results.add(limiter.submit(this::request));
    }
    assertEquals(2, started.size());
    assertEquals(2L, inFlight());

    started.get(0).complete(0);
    assertEquals(3, started.size());
    assertTrue(results.get(0).isDone());

    started.get(1).completeExceptionally(new IOException("failed"));
    assertEquals(4, started.size());
    assertTrue(results.get(1).isCompletedExceptionally());
    assertEquals(2L, inFlight());
  }

  @Test
  void aRequestCancelledWhileWaitingNeverStarts() {
    RequestLimiter limiter = new RequestLimiter(1);
    limiter.submit(this::request);
    CompletableFuture<Integer> waiting = limiter.submit(this::request);
    CompletableFuture<Integer> last = limiter.submit(this::request);

    waiting.cancel(true);
    started.get(0).complete(0);

    assertEquals(2, started.size(), "the cancelled one was skipped, the last one started");
    assertFalse(last.isDone());
    assertEquals(1L, inFlight());
  }

  @Test
  void cancellingARunningRequestCancelsItAndFreesItsPermit() {
    RequestLimiter limiter = new RequestLimiter(1);
    CompletableFuture<Integer> running = limiter.submit(this::request);
    limiter.submit(this::request);

    running.cancel(true);

    assertTrue(started.get(0).isCancelled());
    assertEquals(2, started.size());
  }

  @Test
  void requestsThatCompleteAtOnceDoNotGrowTheStack() {
    RequestLimiter limiter = new RequestLimiter(1);
    List<CompletableFuture<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      int value = i;
      results.add(limiter.submit(() -> CompletableFuture.completedFuture(value)));
    }
    assertEquals(99_999, results.get(99_999).join());
    assertEquals(0L, inFlight());
  }
}
