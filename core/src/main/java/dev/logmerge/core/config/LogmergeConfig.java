package dev.logmerge.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The whole configuration of a logmerge process, validated once at start (see {@link Setting} for
 * the names, defaults and meanings).
 *
 * @param s3Endpoint null until the launcher starts the embedded S3 (or when using AWS's default
 *     endpoint)
 * @param redisUrl null until the launcher starts the embedded Redis
 */
public record LogmergeConfig(
    int httpPort,
    URI s3Endpoint,
    Path dataDir,
    String s3AccessKey,
    String s3SecretKey,
    String s3Region,
    String logsBucket,
    String resultsBucket,
    String redisUrl,
    int embeddedS3Port,
    int embeddedRedisPort,
    ClusterSettings cluster,
    int mergeSlots,
    int maxRangeDays,
    JobPolicy jobs,
    long mergeReadAhead,
    Path spillDir) {

  private static final long MIN_READ_AHEAD = 1L << 20;

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
      throw new ConfigException(
          "invalid "
              + Setting.HEARTBEAT_INTERVAL.envName()
              + " ("
              + Setting.HEARTBEAT_INTERVAL.flag()
              + "): expected at most half of "
              + Setting.LEASE_TIMEOUT.envName()
              + ", so that one late heartbeat does not lose the lease");
    }
    long readAhead = v.bytes(Setting.MERGE_READ_AHEAD);
    if (readAhead < MIN_READ_AHEAD) {
      throw ConfigValues.invalid(Setting.MERGE_READ_AHEAD, "at least 1MiB");
    }
    String spill = v.text(Setting.SPILL_DIR);
    return new LogmergeConfig(
        v.port(Setting.HTTP_PORT),
        v.uri(Setting.S3_ENDPOINT, "http", "https"),
        Path.of(v.text(Setting.DATA_DIR)),
        v.text(Setting.S3_ACCESS_KEY),
        v.text(Setting.S3_SECRET_KEY),
        v.text(Setting.S3_REGION),
        v.bucket(Setting.LOGS_BUCKET),
        v.bucket(Setting.RESULTS_BUCKET),
        redisUrl(v),
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
        Path.of(spill != null ? spill : System.getProperty("java.io.tmpdir")));
  }

  private static String redisUrl(ConfigValues v) {
    URI uri = v.uri(Setting.REDIS_URL, "redis", "rediss");
    return uri == null ? null : uri.toString();
  }

  /** The same configuration pointing at an S3 endpoint chosen at start (the embedded one). */
  public LogmergeConfig withS3Endpoint(URI endpoint) {
    return new LogmergeConfig(
        httpPort,
        endpoint,
        dataDir,
        s3AccessKey,
        s3SecretKey,
        s3Region,
        logsBucket,
        resultsBucket,
        redisUrl,
        embeddedS3Port,
        embeddedRedisPort,
        cluster,
        mergeSlots,
        maxRangeDays,
        jobs,
        mergeReadAhead,
        spillDir);
  }

  /** The same configuration pointing at a Redis chosen at start (the embedded one). */
  public LogmergeConfig withRedisUrl(String url) {
    return new LogmergeConfig(
        httpPort,
        s3Endpoint,
        dataDir,
        s3AccessKey,
        s3SecretKey,
        s3Region,
        logsBucket,
        resultsBucket,
        url,
        embeddedS3Port,
        embeddedRedisPort,
        cluster,
        mergeSlots,
        maxRangeDays,
        jobs,
        mergeReadAhead,
        spillDir);
  }

  private static String withoutPassword(String url) {
    return url == null ? null : url.replaceFirst("//[^@/]*@", "//****@");
  }

  /** Never prints the secret key or a Redis password. */
  @Override
  public String toString() {
    return "LogmergeConfig[httpPort="
        + httpPort
        + ", s3Endpoint="
        + s3Endpoint
        + ", dataDir="
        + dataDir
        + ", s3AccessKey="
        + s3AccessKey
        + ", s3SecretKey=****, s3Region="
        + s3Region
        + ", logsBucket="
        + logsBucket
        + ", resultsBucket="
        + resultsBucket
        + ", redisUrl="
        + withoutPassword(redisUrl)
        + ", cluster="
        + cluster
        + ", mergeSlots="
        + mergeSlots
        + ", maxRangeDays="
        + maxRangeDays
        + ", jobs="
        + jobs
        + ", mergeReadAhead="
        + mergeReadAhead
        + ", spillDir="
        + spillDir
        + "]";
  }
}
