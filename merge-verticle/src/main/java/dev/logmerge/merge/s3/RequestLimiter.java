package dev.logmerge.merge.s3;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Caps how many S3 requests run at once, e.g. the listings of the days of one range. A request over
 * the cap waits in a queue without holding a thread, and starts when a running one completes.
 * Cancelling a waiting request removes it from the race; cancelling a running one cancels the SDK
 * request.
 */
final class RequestLimiter {
  private final int maxConcurrent;
  private final Deque<Runnable> waiting = new ArrayDeque<>();
  private int running;
  private boolean draining;

  RequestLimiter(int maxConcurrent) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1, was " + maxConcurrent);
    }
    this.maxConcurrent = maxConcurrent;
  }

  /**
   * Starts {@code request} at once if fewer than the cap are running (on the calling thread, or on
   * one already starting others), otherwise as soon as one completes (on the completing thread).
   */
  <T> CompletableFuture<T> submit(Supplier<? extends CompletableFuture<T>> request) {
    CompletableFuture<T> result = new CompletableFuture<>();
    synchronized (this) {
      waiting.add(() -> start(request, result));
    }
    drain();
    return result;
  }

  private <T> void start(
      Supplier<? extends CompletableFuture<T>> request, CompletableFuture<T> result) {
    if (result.isDone()) {
      release(); // cancelled while waiting
      return;
    }
    CompletableFuture<T> started;
    try {
      started = request.get();
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<T> inner = started;
    inner.whenComplete(
        (value, error) -> {
          release();
          if (error != null) {
            result.completeExceptionally(error);
          } else {
            result.complete(value);
          }
        });
    result.whenComplete(
        (value, error) -> {
          if (result.isCancelled()) {
            inner.cancel(true);
          }
        });
  }

  private void release() {
    synchronized (this) {
      running--;
    }
    drain();
  }

  /**
   * Starts waiting requests while permits are free. One thread drains at a time and others just
   * hand over, so a request that completes synchronously cannot recurse into the next one and grow
   * the stack.
   */
  private void drain() {
    synchronized (this) {
      if (draining) {
        return;
      }
      draining = true;
    }
    while (true) {
      Runnable next;
      synchronized (this) {
        if (running >= maxConcurrent || waiting.isEmpty()) {
          draining = false;
          return;
        }
        running++;
        next = waiting.poll();
      }
      next.run();
    }
  }
}
