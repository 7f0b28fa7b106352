package dev.logmerge.core.config;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every configuration setting: its environment-variable name, the equivalent {@code --kebab-case}
 * flag, its default (null = unset) and what it means. The launcher's help text comes from here, and
 * the README's configuration table must match it (ReadmeConfigurationTableTest). Values take the
 * forms {@link ConfigValues} reads: durations such as 500ms or 7d, sizes such as 64MiB.
 */
public enum Setting {
  HTTP_PORT("6543", "REST port"),
  MANAGEMENT_PORT(
      "9090",
      "port of the merge role's /health, /ready and /metrics server (0 = any free port; a taken"
          + " port stops the start with a clear message); http and all serve them on HTTP_PORT"),
  METRICS_ENABLED(
      "true",
      "true: record Vert.x, JVM and logmerge meters and serve them at GET /metrics (Prometheus"
          + " text format); false: no meters, /metrics answers 404"),
  S3_ENDPOINT(null, "S3 or MinIO endpoint (path-style); unset: an embedded S3 serving DATA_DIR"),
  S3_PUBLIC_ENDPOINT(
      null,
      "S3 endpoint as clients reach it (path-style); set: /download of a done job answers 307 to a"
          + " presigned GET URL there; unset: the file is relayed through this server"),
  DATA_DIR("./miniodata", "embedded S3 root: each sub-folder is a bucket"),
  S3_ACCESS_KEY("minio", "S3 access key"),
  S3_SECRET_KEY("minio123", "S3 secret key", Masking.WHOLE_VALUE),
  S3_REGION("us-east-1", "S3 region"),
  LOGS_BUCKET("logs", "bucket holding the input log files"),
  RESULTS_BUCKET("merged", "bucket receiving merged results (created if missing)"),
  REDIS_URL(
      null,
      "Redis URL, e.g. redis://redis:6379; unset (and REDIS_SENTINELS unset): an embedded Redis",
      Masking.URL_PASSWORD),
  REDIS_SENTINELS(
      null,
      "Sentinels of a Sentinel-managed Redis, host:port, comma-separated (e.g."
          + " sentinel-1:26379,sentinel-2:26379,sentinel-3:26379); set: each connection asks them"
          + " for the master of REDIS_MASTER_NAME, so a failover needs no restart. Not together"
          + " with REDIS_URL"),
  REDIS_MASTER_NAME(
      null,
      "the master's name in the sentinels' configuration (sentinel monitor NAME …); required with"
          + " REDIS_SENTINELS"),
  REDIS_TIMEOUT(
      "5s",
      "how long a call to Redis waits for its answer; then the API answers 503 and a worker tries"
          + " again later"),
  REDIS_BREAKER_TRIP_AFTER(
      "3",
      "Redis calls in a row that time out or lose their connection, after which calls fail at once"
          + " (the API answers 503 without waiting) and the connection is made anew (1 to 1000)"),
  REDIS_BREAKER_PROBE_INTERVAL(
      "1s",
      "while Redis calls fail at once, how often one PING asks whether Redis answers again; its"
          + " answer lets calls through again"),
  EMBEDDED_S3_PORT(
      "9000",
      "port of the embedded S3 (0 = any free port; a taken port stops the start with a clear"
          + " message)"),
  EMBEDDED_REDIS_PORT(
      "6379",
      "port of the embedded Redis (0 = any free port; a taken port stops the start with a clear"
          + " message)"),
  CLUSTER_NAME("logmerge", "Hazelcast cluster name: JVMs join only a cluster of the same name"),
  CLUSTER_HOST(null, "address Hazelcast and the event bus bind to; unset: loopback"),
  CLUSTER_PUBLIC_HOST(
      null,
      "address other members reach this JVM at (containers: the service name); unset: the bind"
          + " address"),
  CLUSTER_MEMBERS(
      null, "TCP-IP join members, host or host:port, comma-separated; unset: this JVM alone"),
  CLUSTER_PORT("5701", "Hazelcast port (the next free one if taken)"),
  EVENT_BUS_PORT("0", "clustered event-bus port (0 = any free port)"),
  MERGE_SLOTS("2", "concurrent jobs per merge verticle"),
  MAX_RANGE_DAYS("366", "longest date range a job may ask for, in days"),
  RESULT_TTL("7d", "lifetime of job records (and so of access to results)"),
  MAX_QUEUED_JOBS("1000", "queued jobs beyond which /initiate answers 503"),
  RESULT_CACHE(
      "true",
      "true: a job whose listed inputs equal those of a result on record (within RESULT_TTL) or of"
          + " a merge in progress shares that result instead of merging again; false: every job"
          + " merges"),
  LEASE_TIMEOUT("30s", "how long a worker's claim on a job lasts without a heartbeat"),
  HEARTBEAT_INTERVAL(
      "5s", "how often a worker renews its lease and writes progress; at most LEASE_TIMEOUT / 2"),
  MAX_ATTEMPTS("3", "claims of one job before it fails"),
  RETRY_BACKOFF("2s", "delay before a failed attempt is retried, doubled on each further attempt"),
  SCAN_INTERVAL("2s", "how often merge workers look for queued jobs and expired leases"),
  STATS_SCAN_INTERVAL(
      "60s",
      "how often one merge worker lists the newest days' log files and queues the statistics of"
          + " days whose files changed"),
  MERGE_READ_AHEAD("64MiB", "read-ahead memory per job, shared by its inputs; at least 1MiB"),
  MERGE_FAN_IN(
      "512",
      "most inputs a job merges in one pass (2 to 512); a job with more merges groups of"
          + " MERGE_GROUP_SIZE inputs into runs under SPILL_DIR first"),
  MERGE_GROUP_SIZE(
      "128",
      "inputs merged into each run of a job of more than MERGE_FAN_IN inputs (2 to MERGE_FAN_IN;"
          + " unset: 128 or MERGE_FAN_IN if lower)"),
  SPILL_DIR(
      null,
      "local disk for sorting unsorted inputs and for the runs of jobs of more than MERGE_FAN_IN"
          + " inputs; unset: the JVM temp dir"),
  LOG_FORMAT(
      "text",
      "log lines: text (for people) or json (one JSON object per line, with role, job_id and"
          + " worker_id fields)");

  /** How much of a value may be shown where configurations are printed. */
  private enum Masking {
    NONE,
    WHOLE_VALUE,
    /** The user-info part of a URL ({@code redis://user:password@host}). */
    URL_PASSWORD
  }

  private final String defaultValue;
  private final String description;
  private final Masking masking;

  Setting(String defaultValue, String description) {
    this(defaultValue, description, Masking.NONE);
  }

  Setting(String defaultValue, String description, Masking masking) {
    this.defaultValue = defaultValue;
    this.description = description;
    this.masking = masking;
  }

  /** The environment variable name, e.g. {@code HTTP_PORT}. */
  public String envName() {
    return name();
  }

  /** The command-line flag, e.g. {@code --http-port}. */
  public String flag() {
    return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** How messages name the setting: {@code HTTP_PORT (--http-port)}. */
  public String displayName() {
    return envName() + " (" + flag() + ")";
  }

  /** The default value as text, or null when the setting is unset by default. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** A value of this setting as it may be printed: secrets masked; {@code unset} for null. */
  public String printable(String value) {
    if (value == null) {
      return "unset";
    }
    return switch (masking) {
      case NONE -> value;
      case WHOLE_VALUE -> "****";
      case URL_PASSWORD -> value.replaceFirst("//[^@/]*@", "//****@");
    };
  }

  /**
   * The raw values of the settings present in an environment, by their environment names; other
   * names are ignored. The map is the caller's to change (the launcher puts flags on top).
   */
  public static Map<Setting, String> fromEnvironment(Map<String, String> environment) {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (Setting setting : values()) {
      String value = environment.get(setting.envName());
      if (value != null) {
        values.put(setting, value);
      }
    }
    return values;
  }
}
