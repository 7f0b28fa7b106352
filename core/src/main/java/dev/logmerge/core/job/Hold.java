package dev.logmerge.core.job;

/**
 * Where a worker stands with the job it is merging, as a heartbeat or a final transition finds it.
 *
 * @param jobId the job the worker holds (when {@link Status#HELD}): the one it claimed, or the one
 *     its merge was handed to when the claimed job was cancelled while others waited for its
 *     result; null otherwise
 */
public record Hold(Status status, String jobId) {
  public enum Status {
    /** The worker holds the job: merge on (or the transition was recorded). */
    HELD,
    /** The lease passed to another worker (it expired): stop, record nothing. */
    LOST,
    /** A client cancelled the job: stop, record nothing, leave no result behind. */
    CANCELLED
  }

  static final Hold LOST = new Hold(Status.LOST, null);
  static final Hold CANCELLED = new Hold(Status.CANCELLED, null);

  static Hold held(String jobId) {
    return new Hold(Status.HELD, jobId);
  }

  public boolean held() {
    return status == Status.HELD;
  }
}
