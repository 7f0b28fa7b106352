package dev.logmerge.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.job.RedisBreaker.State;
import org.junit.jupiter.api.Test;

/** The breaker's state machine alone: no Redis, no timers. */
class RedisBreakerTest {
  private final RedisBreaker breaker = new RedisBreaker(3);

  @Test
  void tripsOnTheThirdOutageInARowAndThenRefusesCalls() {
    assertFalse(breaker.failed(breaker.admit()));
    assertFalse(breaker.failed(breaker.admit()));
    assertEquals(State.CLOSED, breaker.state());
    assertTrue(breaker.failed(breaker.admit()), "the third outage in a row trips it");
    assertEquals(State.OPEN, breaker.state());
    assertEquals(RedisBreaker.REFUSED, breaker.admit());
    assertTrue(breaker.refusing());
  }

  @Test
  void anAnswerStartsTheCountAgain() {
    breaker.failed(breaker.admit());
    breaker.failed(breaker.admit());
    breaker.answered(breaker.admit());
    assertFalse(breaker.failed(breaker.admit()));
    assertFalse(breaker.failed(breaker.admit()));
    assertEquals(State.CLOSED, breaker.state());
  }

  @Test
  void tripsOnlyOnceWhenMoreCallsInFlightTimeOutAfterIt() {
    long[] tickets = {breaker.admit(), breaker.admit(), breaker.admit(), breaker.admit()};
    assertFalse(breaker.failed(tickets[0]));
    assertFalse(breaker.failed(tickets[1]));
    assertTrue(breaker.failed(tickets[2]));
    assertFalse(breaker.failed(tickets[3]), "already open: the caller must not drop twice");
    assertEquals(State.OPEN, breaker.state());
  }

  @Test
  void letsOneProbeAtATimeAskRedis() {
    trip();
    assertTrue(breaker.startProbe());
    assertEquals(State.PROBING, breaker.state());
    assertFalse(breaker.startProbe(), "a second probe while one is under way");
    assertEquals(RedisBreaker.REFUSED, breaker.admit(), "calls are still refused while probing");
  }

  @Test
  void closesWhenTheProbeIsAnsweredAndCountsFromNone() {
    trip();
    breaker.startProbe();
    breaker.probeAnswered();
    assertEquals(State.CLOSED, breaker.state());
    assertFalse(breaker.refusing());
    assertNotEquals(RedisBreaker.REFUSED, breaker.admit());
    assertFalse(breaker.failed(breaker.admit()));
    assertFalse(breaker.failed(breaker.admit()));
    assertTrue(breaker.failed(breaker.admit()), "trips again after three more outages");
  }

  @Test
  void staysOpenWhenTheProbeFailsUntilALaterProbeIsAnswered() {
    trip();
    breaker.startProbe();
    breaker.probeFailed();
    assertEquals(State.OPEN, breaker.state());
    assertEquals(RedisBreaker.REFUSED, breaker.admit());
    assertTrue(breaker.startProbe(), "the next probe may go");
    breaker.probeAnswered();
    assertEquals(State.CLOSED, breaker.state());
  }

  @Test
  void noProbeIsDueWhileClosed() {
    assertFalse(breaker.startProbe());
    breaker.probeAnswered();
    breaker.probeFailed();
    assertEquals(State.CLOSED, breaker.state());
  }

  @Test
  void ignoresTheLateOutcomesOfCallsAdmittedBeforeItTripped() {
    long early = breaker.admit();
    long another = breaker.admit();
    trip();
    assertFalse(breaker.failed(early), "counted while open: nothing changes");
    breaker.startProbe();
    breaker.probeAnswered();
    // the new connection's count is its own: late outcomes from before the trip do not count
    assertFalse(breaker.failed(breaker.admit()));
    assertFalse(breaker.failed(breaker.admit()));
    assertFalse(breaker.failed(another));
    breaker.answered(early);
    assertTrue(breaker.failed(breaker.admit()), "the late answer did not reset the count");
  }

  @Test
  void aBreakerThatTripsOnOneOutage() {
    RedisBreaker eager = new RedisBreaker(1);
    assertTrue(eager.failed(eager.admit()));
    assertThrows(IllegalArgumentException.class, () -> new RedisBreaker(0));
  }

  private void trip() {
    for (int i = 0; i < 3; i++) {
      breaker.failed(breaker.admit());
    }
    assertEquals(State.OPEN, breaker.state());
  }
}
