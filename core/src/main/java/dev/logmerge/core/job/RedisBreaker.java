package dev.logmerge.core.job;

/**
 * The job store's circuit breaker, as a state machine only: it counts Redis round trips that timed
 * out or lost their connection, trips after {@code tripAfter} of them in a row, refuses calls while
 * tripped, and lets one probe at a time decide when to let calls through again. Timers, the probe
 * itself and dropping the connection are {@link RedisCallGuard}'s.
 *
 * <pre>
 * CLOSED --tripAfter outages in a row--> OPEN --probe due--> PROBING --answered--> CLOSED
 *                                          ^                    |
 *                                          +------outage--------+
 * </pre>
 *
 * <p>Our own rather than vertx-circuit-breaker's (5.0.8 is the newest served here; it runs with
 * Vert.x core 5.0.10, but through core's internal {@code ContextInternal} API): that breaker counts
 * failures in a time window (a run of 5 s timeouts spreads past its default 10 s window), makes the
 * next caller's request its half-open probe instead of a PING of its own, publishes its state on
 * the event bus every 2 s unless told not to, and hops every completion onto the caller's context:
 * one more event-loop task on each job-store round trip, the hottest path of the API. What the job
 * store needs fits in this class.
 *
 * <p>Each closed period has a number; a call carries the number it was admitted under, so the late
 * outcome of a call sent before a trip cannot count against (or for) the connection made after it.
 * Thread-safe: a store's calls may come from several threads.
 */
final class RedisBreaker {
  /** What {@link #admit()} answers while calls are refused. */
  static final long REFUSED = -1;

  enum State {
    /** Calls go through; outages in a row are counted. */
    CLOSED,
    /** Calls are refused; a probe is due. */
    OPEN,
    /** Calls are refused; one probe is asking Redis. */
    PROBING
  }

  private final int tripAfter;
  private State state = State.CLOSED;
  private int outagesInARow;
  private long period;

  /**
   * @param tripAfter outages in a row that trip it; at least 1
   */
  RedisBreaker(int tripAfter) {
    if (tripAfter < 1) {
      throw new IllegalArgumentException("tripAfter must be at least 1, was " + tripAfter);
    }
    this.tripAfter = tripAfter;
  }

  /**
   * Whether a call may go to Redis now.
   *
   * @return the ticket to report its outcome with, or {@link #REFUSED}
   */
  synchronized long admit() {
    return state == State.CLOSED ? period : REFUSED;
  }

  /** The call admitted with this ticket had an answer from Redis (an error reply counts). */
  synchronized void answered(long ticket) {
    if (state == State.CLOSED && ticket == period) {
      outagesInARow = 0;
    }
  }

  /**
   * The call admitted with this ticket timed out or lost its connection.
   *
   * @return true when this outage tripped the breaker: the caller drops the connection and
   *     schedules a probe
   */
  synchronized boolean failed(long ticket) {
    if (state != State.CLOSED || ticket != period) {
      return false;
    }
    outagesInARow++;
    if (outagesInARow < tripAfter) {
      return false;
    }
    state = State.OPEN;
    return true;
  }

  /**
   * A probe is due: true when this caller is to send it (the breaker is open and no other probe is
   * under way).
   */
  synchronized boolean startProbe() {
    if (state != State.OPEN) {
      return false;
    }
    state = State.PROBING;
    return true;
  }

  /** The probe had an answer: calls go through again, counted from none. */
  synchronized void probeAnswered() {
    if (state == State.PROBING) {
      state = State.CLOSED;
      outagesInARow = 0;
      period++;
    }
  }

  /** The probe timed out or lost its connection: calls stay refused until the next probe. */
  synchronized void probeFailed() {
    if (state == State.PROBING) {
      state = State.OPEN;
    }
  }

  synchronized State state() {
    return state;
  }

  /** Whether calls are refused now (open, or probing). */
  synchronized boolean refusing() {
    return state != State.CLOSED;
  }
}
