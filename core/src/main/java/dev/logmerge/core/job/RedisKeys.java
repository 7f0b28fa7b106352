package dev.logmerge.core.job;

/**
 * Every Redis key logmerge writes. The Lua scripts receive these names from here (the per-job
 * prefix too, for the scripts that walk job ids), so no key is spelled twice.
 */
public final class RedisKeys {
  /** Prefix of the job hashes: {@code job:{id}}. */
  public static final String JOB_PREFIX = "job:";

  /**
   * Sorted set of queued job ids, scored by the epoch microsecond (Redis clock) from which each may
   * be claimed.
   */
  public static final String QUEUED = "jobs:queued";

  /** Sorted set of running job ids, scored by lease expiry (epoch ms). */
  public static final String RUNNING = "jobs:running";

  private RedisKeys() {}

  public static String job(String id) {
    return JOB_PREFIX + id;
  }
}
