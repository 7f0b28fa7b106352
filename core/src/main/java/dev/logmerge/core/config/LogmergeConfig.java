package dev.logmerge.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The whole configuration of a logmerge process, validated once at start (see {@link Setting} for
 * the names, defaults and meanings). Built by {@link #from} from raw text values, which it keeps:
 * {@link #with} and {@link #toString} work over {@link Setting}, so a new setting is a constant
 * there, a component here and a line in {@link #from}.
 *
 * @param s3Endpoint null until the launcher starts the embedded S3 (or when using AWS's default
 *     endpoint)
 * @param s3PublicEndpoint null: downloads are relayed; else where clients fetch results themselves
 *     (redirected to a presigned URL on it)
 * @param redisUrl null until the launcher starts the embedded Redis, and with Sentinel
 * @param redisSentinels null unless Redis is found through Sentinel (then {@code redisUrl} is null)
 * @param redisCalls the bound on each Redis call and the job store's circuit breaker
 * @param resultCache whether jobs of the same inputs share one merge's result
 * @param statsScanInterval how often the statistics of changed days are queued (one worker at a
 *     time)
 * @param logFormat read by the launcher before anything logs (the logging configuration selects its
 *     encoder by it)
 * @param values the raw values this configuration was built from (absent: the default)
 */
public record LogmergeConfig(
    int httpPort,
    int managementPort,
    boolean metricsEnabled,
    URI s3Endpoint,
    URI s3PublicEndpoint,
    Path dataDir,
    String s3AccessKey,
    String s3SecretKey,
    String s3Region,
    String logsBucket,
    String resultsBucket,
    String redisUrl,
    RedisSentinels redisSentinels,
    RedisCallPolicy redisCalls,
    int embeddedS3Port,
    int embeddedRedisPort,
    ClusterSettings cluster,
    int mergeSlots,
    int maxRangeDays,
    JobPolicy jobs,
    long mergeReadAhead,
    int mergeFanIn,
    int mergeGroupSize,
    Path spillDir,
    boolean resultCache,
    Duration statsScanInterval,
    LogFormat logFormat,
    Map<Setting, String> values) {

  private static final long MIN_READ_AHEAD = 1L << 20;

  /**
   * A group of a multi-pass merge reads each input through one streaming GET, and a job streams at
   * most 512 inputs (merge-verticle's {@code InputReadSettings.DEFAULT_MAX_STREAMED_INPUTS}).
   */
  public static final int MAX_MERGE_FAN_IN = 512;

  public LogmergeConfig {
    values = Collections.unmodifiableMap(copyOf(values));
  }

  /** Every setting at its default. */
  public static LogmergeConfig defaults() {
    return fromEnvNames(Map.of());
  }

  /**
   * Builds and validates a configuration from raw values keyed by environment-variable name ({@code
   * HTTP_PORT}, …); absent names take their defaults, unknown names are ignored.
   *
   * @throws ConfigException naming the first invalid setting
   */
  public static LogmergeConfig fromEnvNames(Map<String, String> raw) {
    return from(Setting.fromEnvironment(raw));
  }

  /** Builds and validates a configuration from raw values; absent settings take their defaults. */
  public static LogmergeConfig from(Map<Setting, String> raw) {
    ConfigValues v = new ConfigValues(raw);
    JobPolicy jobs =
        new JobPolicy(
            v.duration(Setting.RESULT_TTL),
            v.integer(Setting.MAX_QUEUED_JOBS, 1, 10_000_000),
            v.duration(Setting.LEASE_TIMEOUT),
            v.duration(Setting.HEARTBEAT_INTERVAL),
            v.integer(Setting.MAX_ATTEMPTS, 1, 100),
            v.duration(Setting.RETRY_BACKOFF),
            v.duration(Setting.SCAN_INTERVAL));
    if (jobs.heartbeatInterval().multipliedBy(2).compareTo(jobs.leaseTimeout()) > 0) {
      throw ConfigValues.invalid(
          Setting.HEARTBEAT_INTERVAL,
          "at most half of LEASE_TIMEOUT, so that one late heartbeat does not lose the lease");
    }
    long readAhead = v.bytes(Setting.MERGE_READ_AHEAD);
    if (readAhead < MIN_READ_AHEAD) {
      throw ConfigValues.invalid(Setting.MERGE_READ_AHEAD, "at least 1MiB");
    }
    int fanIn = v.integer(Setting.MERGE_FAN_IN, 2, MAX_MERGE_FAN_IN);
    int groupSize = v.integer(Setting.MERGE_GROUP_SIZE, 2, MAX_MERGE_FAN_IN);
    String groupSizeSet = raw.get(Setting.MERGE_GROUP_SIZE);
    if (groupSizeSet == null || groupSizeSet.isBlank()) {
      // a lower fan-in alone makes the default groups smaller, not the configuration invalid
      groupSize = Math.min(groupSize, fanIn);
    } else if (groupSize > fanIn) {
      throw ConfigValues.invalid(Setting.MERGE_GROUP_SIZE, "at most MERGE_FAN_IN (" + fanIn + ")");
    }
    String spill = v.text(Setting.SPILL_DIR);
    return new LogmergeConfig(
        v.port(Setting.HTTP_PORT),
        v.port(Setting.MANAGEMENT_PORT),
        v.bool(Setting.METRICS_ENABLED),
        v.uri(Setting.S3_ENDPOINT, "http", "https"),
        v.uri(Setting.S3_PUBLIC_ENDPOINT, "http", "https"),
        Path.of(v.text(Setting.DATA_DIR)),
        v.text(Setting.S3_ACCESS_KEY),
        v.text(Setting.S3_SECRET_KEY),
        v.text(Setting.S3_REGION),
        v.bucket(Setting.LOGS_BUCKET),
        v.bucket(Setting.RESULTS_BUCKET),
        redisUrl(v),
        redisSentinels(v),
        new RedisCallPolicy(
            v.duration(Setting.REDIS_TIMEOUT),
            v.integer(Setting.REDIS_BREAKER_TRIP_AFTER, 1, 1000),
            v.duration(Setting.REDIS_BREAKER_PROBE_INTERVAL)),
        v.port(Setting.EMBEDDED_S3_PORT),
        v.port(Setting.EMBEDDED_REDIS_PORT),
        new ClusterSettings(
            v.text(Setting.CLUSTER_NAME),
            v.text(Setting.CLUSTER_HOST),
            v.text(Setting.CLUSTER_PUBLIC_HOST),
            v.list(Setting.CLUSTER_MEMBERS),
            v.integer(Setting.CLUSTER_PORT, 1, 65_535),
            v.port(Setting.EVENT_BUS_PORT)),
        v.integer(Setting.MERGE_SLOTS, 1, 64),
        v.integer(Setting.MAX_RANGE_DAYS, 1, 100_000),
        jobs,
        readAhead,
        fanIn,
        groupSize,
        Path.of(spill != null ? spill : System.getProperty("java.io.tmpdir")),
        v.bool(Setting.RESULT_CACHE),
        v.duration(Setting.STATS_SCAN_INTERVAL),
        v.choice(Setting.LOG_FORMAT, LogFormat.class),
        raw);
  }

  private static String redisUrl(ConfigValues v) {
    URI uri = v.uri(Setting.REDIS_URL, "redis", "rediss");
    return uri == null ? null : uri.toString();
  }

  /**
   * Sentinel or a URL, never both: a URL beside sentinels would be either ignored or a second
   * Redis, and both are mistakes that lose jobs silently.
   */
  private static RedisSentinels redisSentinels(ConfigValues v) {
    List<String> sentinels = v.hostPorts(Setting.REDIS_SENTINELS);
    String masterName = v.text(Setting.REDIS_MASTER_NAME);
    if (sentinels.isEmpty()) {
      if (masterName != null) {
        throw ConfigValues.invalid(
            Setting.REDIS_MASTER_NAME, "to be unset unless REDIS_SENTINELS is set");
      }
      return null;
    }
    if (v.text(Setting.REDIS_URL) != null) {
      throw ConfigValues.invalid(
          Setting.REDIS_SENTINELS,
          "to be unset when REDIS_URL is set: a Redis is found either through its URL or through"
              + " Sentinel");
    }
    if (masterName == null) {
      throw ConfigValues.invalid(
          Setting.REDIS_MASTER_NAME, "the monitored master's name, required with REDIS_SENTINELS");
    }
    return new RedisSentinels(sentinels, masterName);
  }

  /** Whether a Redis is configured (by URL or through Sentinel): if not, a role may embed one. */
  public boolean redisConfigured() {
    return redisUrl != null || redisSentinels != null;
  }

  /** Where Redis is, for logs: its URL (password masked) or its sentinels. */
  public String redisDescription() {
    return redisSentinels != null
        ? redisSentinels.toString()
        : Setting.REDIS_URL.printable(redisUrl);
  }

  /**
   * This configuration with one setting's raw value replaced (e.g. the endpoint of an embedded
   * server chosen at start), built and validated again like the original.
   *
   * @throws ConfigException naming the setting when the value is invalid
   */
  public LogmergeConfig with(Setting setting, String value) {
    Map<Setting, String> changed = copyOf(values);
    changed.put(setting, value);
    return from(changed);
  }

  private static Map<Setting, String> copyOf(Map<Setting, String> values) {
    Map<Setting, String> copy = new EnumMap<>(Setting.class);
    copy.putAll(values);
    return copy;
  }

  /** Every setting with the value in effect; secrets masked (see {@link Setting#printable}). */
  @Override
  public String toString() {
    ConfigValues v = new ConfigValues(values);
    return Arrays.stream(Setting.values())
        .map(setting -> setting.envName() + "=" + setting.printable(v.text(setting)))
        .collect(Collectors.joining(", ", "LogmergeConfig[", "]"));
  }
}
