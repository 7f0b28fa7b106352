package dev.logmerge.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polling with a deadline: the tests' only way to wait for something that happens in another JVM.
 */
public final class Await {
  private static final long POLL_MS = 50;

  private Await() {}

  /** Polls until the probe answers non-null, and returns that; fails naming what was awaited. */
  public static <T> T until(String what, Duration timeout, Supplier<T> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T answer = probe.get();
      if (answer != null) {
        return answer;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up after " + timeout.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  /** Polls until the condition holds. */
  public static void untilTrue(String what, Duration timeout, BooleanSupplier condition) {
    until(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
  }
}
