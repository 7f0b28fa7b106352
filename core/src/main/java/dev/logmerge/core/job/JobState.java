package dev.logmerge.core.job;

/**
 * The life of a job: {@code QUEUED → RUNNING → DONE | FAILED}. A RUNNING job goes back to QUEUED
 * when its worker's lease expires, when the worker hands it back on shutdown, or when an attempt
 * failed in a way worth retrying. DONE and FAILED are final.
 */
public enum JobState {
  QUEUED,
  RUNNING,
  DONE,
  FAILED;

  public boolean isFinal() {
    return this == DONE || this == FAILED;
  }
}
