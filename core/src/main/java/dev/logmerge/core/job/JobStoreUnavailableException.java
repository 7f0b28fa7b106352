package dev.logmerge.core.job;

/**
 * Redis did not answer a job-store call in time, refused it, or failed it: an outage, not a defect.
 * Callers answer it as "try again later" (the HTTP API with 503, workers by trying again on their
 * next tick).
 */
public final class JobStoreUnavailableException extends RuntimeException {
  JobStoreUnavailableException(Throwable cause) {
    super("the job store (Redis) is unavailable: " + cause.getMessage(), cause);
  }
}
