package dev.logmerge.core.job;

import java.util.LinkedHashMap;
import java.util.Map;

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

  /** Counter of statistics generations: each day indexed gets a new, higher one. */
  public static final String STATS_GENERATION = "stats:generation";

  /** Hash: day (ISO date) → the JSON record of its last indexing ({@code DayRecord}). */
  public static final String STATS_DAYS = "stats:days";

  /**
   * Hash: day → generation of its last indexing. A customer's row of the day counts when its
   * generation is at least this one.
   */
  public static final String STATS_DAY_GENERATIONS = "stats:day-generations";

  /**
   * Hash: day → generation of the newest indexing begun for it. Rows of an older generation are no
   * longer stored once a newer one has begun.
   */
  public static final String STATS_DAY_BEGUN = "stats:day-begun";

  /** String: the newest day indexed with at least one input file. */
  public static final String STATS_NEWEST_DAY = "stats:newest-day";

  /**
   * Prefix of {@code stats:customer:{id}}: hash, day → {@code <generation>|<StatsRow.encode()>}.
   */
  public static final String STATS_CUSTOMER_PREFIX = "stats:customer:";

  /**
   * Prefix of {@code stats:partials:{day}}: hash, the day whose files held lines of {@code {day}} →
   * {@code <generation>|<partial aggregates of those lines>}.
   */
  public static final String STATS_PARTIALS_PREFIX = "stats:partials:";

  /**
   * Prefix of {@code stats:queued:{day}}: id of a queued statistics job that will index the day, so
   * that asking again does not queue another.
   */
  public static final String STATS_QUEUED_PREFIX = "stats:queued:";

  /** String: the worker whose statistics scan runs now (one member at a time), with a TTL. */
  public static final String STATS_SCAN_LOCK = "stats:scan-lock";

  private RedisKeys() {}

  public static String job(String id) {
    return JOB_PREFIX + id;
  }

  public static String result(String fingerprint) {
    return RESULT_PREFIX + fingerprint;
  }

  /** The key names as Lua declarations, so the scripts spell no key themselves. */
  static String luaDeclarations() {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("JOB_PREFIX", JOB_PREFIX);
    names.put("QUEUED", QUEUED);
    names.put("RESULT_PREFIX", RESULT_PREFIX);
    names.put("MERGING_PREFIX", MERGING_PREFIX);
    names.put("FOLLOWERS_PREFIX", FOLLOWERS_PREFIX);
    names.put("STATS_GENERATION", STATS_GENERATION);
    names.put("STATS_DAYS", STATS_DAYS);
    names.put("STATS_DAY_GENERATIONS", STATS_DAY_GENERATIONS);
    names.put("STATS_DAY_BEGUN", STATS_DAY_BEGUN);
    names.put("STATS_NEWEST_DAY", STATS_NEWEST_DAY);
    names.put("STATS_CUSTOMER_PREFIX", STATS_CUSTOMER_PREFIX);
    names.put("STATS_PARTIALS_PREFIX", STATS_PARTIALS_PREFIX);
    names.put("STATS_QUEUED_PREFIX", STATS_QUEUED_PREFIX);
    StringBuilder lua = new StringBuilder();
    names.forEach(
        (name, key) -> lua.append("local ").append(name).append(" = '").append(key).append("'\n"));
    return lua.toString();
  }
}
