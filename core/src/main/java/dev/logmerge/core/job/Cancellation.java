package dev.logmerge.core.job;

/**
 * The answer to a request to cancel a job.
 *
 * @param job the job after the request; null when {@link Outcome#UNKNOWN}
 */
public record Cancellation(Outcome outcome, Job job) {
  public enum Outcome {
    /** The job is CANCELLED now. */
    CANCELLED,
    /** The job had been cancelled before; nothing changed. */
    ALREADY_CANCELLED,
    /** The job had already ended DONE or FAILED; nothing changed. */
    ALREADY_FINISHED,
    /** No such job (never created, or expired). */
    UNKNOWN
  }
}
