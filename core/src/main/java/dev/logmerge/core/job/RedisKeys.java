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

  /**
   * Sorted set of running job ids, scored by lease expiry (epoch ms); a job waiting for another
   * job's merge is scored by that job's lease.
   */
  public static final String RUNNING = "jobs:running";

  /**
   * Prefix of the remembered results: {@code result:{fingerprint}}, a hash naming the object merged
   * from the inputs with that fingerprint, kept for {@code RESULT_TTL}.
   */
  public static final String RESULT_PREFIX = "result:";

  /**
   * Prefix of {@code merging:{fingerprint}}: the id of the job merging the inputs with that
   * fingerprint now (queued or running).
   */
  public static final String MERGING_PREFIX = "merging:";

  /**
   * Prefix of {@code followers:{id}}: sorted set of the jobs waiting for that job's merge, scored
   * by when they began to wait.
   */
  public static final String FOLLOWERS_PREFIX = "followers:";

  private RedisKeys() {}

  public static String job(String id) {
    return JOB_PREFIX + id;
  }

  public static String result(String fingerprint) {
    return RESULT_PREFIX + fingerprint;
  }

  /** The prefixes as Lua declarations, so the job scripts spell no key themselves. */
  static String luaDeclarations() {
    return String.format(
        "local JOB_PREFIX, RESULT_PREFIX, MERGING_PREFIX, FOLLOWERS_PREFIX = '%s', '%s', '%s',"
            + " '%s'%n",
        JOB_PREFIX, RESULT_PREFIX, MERGING_PREFIX, FOLLOWERS_PREFIX);
  }
}
