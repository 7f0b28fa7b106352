package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void defaultsDoubleFrom200MillisecondsOverFiveAttempts() {
    RetryPolicy policy = RetryPolicy.defaults();
    assertEquals(5, policy.maxAttempts());
    assertEquals(
        java.util.List.of(
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(800),
            Duration.ofMillis(1600)),
        IntStream.rangeClosed(1, 4).mapToObj(policy::backoffBeforeRetry).toList());
  }

  @Test
  void backoffIsCappedWithoutOverflow() {
    RetryPolicy policy = new RetryPolicy(100, Duration.ofMillis(100), Duration.ofSeconds(1));
    assertEquals(Duration.ofMillis(800), policy.backoffBeforeRetry(4));
    assertEquals(Duration.ofSeconds(1), policy.backoffBeforeRetry(5));
    assertEquals(Duration.ofSeconds(1), policy.backoffBeforeRetry(99));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(
        IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class, () -> RetryPolicy.defaults().backoffBeforeRetry(0));
  }
}
