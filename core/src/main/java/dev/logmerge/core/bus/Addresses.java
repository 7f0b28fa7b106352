package dev.logmerge.core.bus;

/** Every event-bus address logmerge uses. */
public final class Addresses {
  /**
   * Published when a job is queued (or queued again), with the job's id as a plain {@code String}
   * body, for logs. It is only a wake-up: every merge verticle with a free slot claims the oldest
   * claimable job from Redis, which need not be this one, and a lost message only delays a job
   * until the next periodic scan.
   */
  public static final String JOB_QUEUED = "logmerge.job.queued";

  private Addresses() {}
}
