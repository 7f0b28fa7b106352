package dev.logmerge.core.job;

/**
 * The life of a job: {@code QUEUED → RUNNING → DONE | FAILED | CANCELLED}. A RUNNING job goes back
 * to QUEUED when its worker's lease expires, when the worker hands it back on shutdown, or when an
 * attempt failed in a way worth retrying. A QUEUED or RUNNING job may be cancelled by a client.
 * DONE, FAILED and CANCELLED are final.
 */
public enum JobState {
  QUEUED,
  RUNNING,
  DONE,
  FAILED,
  CANCELLED;

  public boolean isFinal() {
    return this != QUEUED && this != RUNNING;
  }
}
