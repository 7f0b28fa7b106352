package dev.logmerge.core.bus;

/** Every event-bus address logmerge uses. */
public final class Addresses {
  /**
   * Published when a job is queued (or queued again): every merge verticle with a free slot wakes
   * and tries to claim work from Redis. A lost message only delays a job until the next periodic
   * scan.
   */
  public static final String MERGE_JOBS = "logmerge.merge.jobs";

  private Addresses() {}
}
