package dev.logmerge.core.job;

/** A new job was refused because the configured number of queued jobs is waiting already. */
public final class QueueFullException extends RuntimeException {
  public QueueFullException(int maxQueuedJobs) {
    super(maxQueuedJobs + " jobs are queued already; try again later");
  }
}
