package dev.logmerge.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogmergeConfigTest {

  @Test
  void defaultsMatchTheDocumentedTable() {
    LogmergeConfig config = LogmergeConfig.defaults();
    assertEquals(6543, config.httpPort());
    assertEquals(9090, config.managementPort());
    assertTrue(config.metricsEnabled());
    assertNull(config.s3Endpoint());
    assertEquals(Path.of("./miniodata"), config.dataDir());
    assertEquals("minio", config.s3AccessKey());
    assertEquals("minio123", config.s3SecretKey());
    assertEquals("us-east-1", config.s3Region());
    assertEquals("logs", config.logsBucket());
    assertEquals("merged", config.resultsBucket());
    assertNull(config.redisUrl());
    assertEquals(9000, config.embeddedS3Port());
    assertEquals(6379, config.embeddedRedisPort());
    assertEquals("logmerge", config.cluster().name());
    assertEquals(List.of(), config.cluster().members());
    assertEquals(2, config.mergeSlots());
    assertEquals(366, config.maxRangeDays());
    assertEquals(Duration.ofDays(7), config.jobs().resultTtl());
    assertEquals(1000, config.jobs().maxQueuedJobs());
    assertEquals(64L << 20, config.mergeReadAhead());
    assertNull(config.s3PublicEndpoint(), "downloads are relayed unless asked otherwise");
    assertEquals(512, config.mergeFanIn());
    assertEquals(128, config.mergeGroupSize());
    assertTrue(config.resultCache());
    assertEquals(LogFormat.TEXT, config.logFormat(), "logs stay human-readable unless asked");
  }

  @Test
  void readsTypedValuesByEnvironmentName() {
    LogmergeConfig config =
        LogmergeConfig.fromEnvNames(
            Map.of(
                "HTTP_PORT", "8080",
                "S3_ENDPOINT", "http://minio:9000",
                "S3_PUBLIC_ENDPOINT", "https://s3.example.com",
                "REDIS_URL", "redis://redis:6379",
                "CLUSTER_MEMBERS", " http-1 , merge-1:5702,, ",
                "RESULT_TTL", "12h",
                "LEASE_TIMEOUT", "1500ms",
                "HEARTBEAT_INTERVAL", "500ms",
                "MERGE_READ_AHEAD", "8MiB",
                "MERGE_FAN_IN", "64"));
    assertEquals(8080, config.httpPort());
    assertEquals(URI.create("http://minio:9000"), config.s3Endpoint());
    assertEquals(URI.create("https://s3.example.com"), config.s3PublicEndpoint());
    assertEquals("redis://redis:6379", config.redisUrl());
    assertEquals(List.of("http-1", "merge-1:5702"), config.cluster().members());
    assertEquals(Duration.ofHours(12), config.jobs().resultTtl());
    assertEquals(Duration.ofMillis(1500), config.jobs().leaseTimeout());
    assertEquals(8L << 20, config.mergeReadAhead());
    assertEquals(64, config.mergeFanIn());
    assertEquals(64, config.mergeGroupSize(), "default groups are no larger than the fan-in");
    assertFalse(LogmergeConfig.fromEnvNames(Map.of("RESULT_CACHE", "FALSE")).resultCache());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "HTTP_PORT        | 70000       | --http-port",
        "HTTP_PORT        | eighty      | --http-port",
        "MANAGEMENT_PORT  | -1          | --management-port",
        "RESULT_CACHE     | yes         | --result-cache",
        "METRICS_ENABLED  | yes         | --metrics-enabled",
        "MERGE_SLOTS      | 0           | --merge-slots",
        "RESULT_TTL       | 7 days      | --result-ttl",
        "RESULT_TTL       | 0s          | --result-ttl",
        "S3_ENDPOINT      | minio:9000  | --s3-endpoint",
        "S3_PUBLIC_ENDPOINT | s3.example.com | --s3-public-endpoint",
        "S3_PUBLIC_ENDPOINT | ftp://s3:21 | --s3-public-endpoint",
        "REDIS_URL        | http://r:1  | --redis-url",
        "REDIS_SENTINELS  | s1          | --redis-sentinels",
        "REDIS_SENTINELS  | s1:26379,s2 | --redis-sentinels",
        "REDIS_SENTINELS  | s1:0        | --redis-sentinels",
        "REDIS_SENTINELS  | s1:99999    | --redis-sentinels",
        "REDIS_SENTINELS  | redis://s1:26379 | --redis-sentinels",
        "REDIS_SENTINELS  | ' , '      | --redis-sentinels",
        "REDIS_MASTER_NAME | mymaster   | --redis-master-name",
        "RESULTS_BUCKET   | Merged_Logs | --results-bucket",
        "MERGE_READ_AHEAD | 1KiB        | --merge-read-ahead",
        "MERGE_FAN_IN     | 1           | --merge-fan-in",
        "MERGE_FAN_IN     | 513         | --merge-fan-in",
        "MERGE_GROUP_SIZE | 1           | --merge-group-size",
        "MERGE_GROUP_SIZE | 600         | --merge-group-size",
        "LOG_FORMAT       | xml         | --log-format",
        "LOG_FORMAT       | jsonl       | --log-format",
      })
  void rejectsABadValueNamingTheSettingAndItsFlag(String name, String value, String flag) {
    ConfigException error =
        assertThrows(ConfigException.class, () -> LogmergeConfig.fromEnvNames(Map.of(name, value)));
    assertTrue(error.getMessage().contains(name), error.getMessage());
    assertTrue(error.getMessage().contains(flag), error.getMessage());
    assertTrue(error.getMessage().contains("expected"), error.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"json, JSON", "JSON, JSON", "text, TEXT", "' Text ', TEXT"})
  void readsTheLogFormatInAnyCase(String value, LogFormat expected) {
    assertEquals(expected, LogmergeConfig.fromEnvNames(Map.of("LOG_FORMAT", value)).logFormat());
  }

  @Test
  void namesTheLogFormatsABadOneCouldHaveBeen() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () -> LogmergeConfig.fromEnvNames(Map.of("LOG_FORMAT", "logfmt")));
    assertEquals(
        "invalid LOG_FORMAT (--log-format): expected one of text, json", error.getMessage());
  }

  @Test
  void rejectsGroupsLargerThanTheFanIn() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                LogmergeConfig.fromEnvNames(
                    Map.of("MERGE_FAN_IN", "100", "MERGE_GROUP_SIZE", "101")));
    assertTrue(error.getMessage().contains("MERGE_GROUP_SIZE"), error.getMessage());
  }

  @Test
  void readsTheRedisTimeoutAndBreakerDefaultingToFiveSecondsThreeOutagesAndOneSecond() {
    assertEquals(RedisCallPolicy.DEFAULTS, LogmergeConfig.defaults().redisCalls());
    assertEquals(
        new RedisCallPolicy(Duration.ofMillis(250), 5, Duration.ofMillis(500)),
        LogmergeConfig.fromEnvNames(
                Map.of(
                    "REDIS_TIMEOUT", "250ms",
                    "REDIS_BREAKER_TRIP_AFTER", "5",
                    "REDIS_BREAKER_PROBE_INTERVAL", "500ms"))
            .redisCalls());
  }

  @Test
  void rejectsABreakerThatNeverTrips() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () -> LogmergeConfig.fromEnvNames(Map.of("REDIS_BREAKER_TRIP_AFTER", "0")));
    assertEquals(
        "invalid REDIS_BREAKER_TRIP_AFTER (--redis-breaker-trip-after): expected a whole number"
            + " from 1 to 1000",
        error.getMessage());
  }

  @Test
  void rejectsAHeartbeatThatCouldMissTheLease() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                LogmergeConfig.fromEnvNames(
                    Map.of("LEASE_TIMEOUT", "10s", "HEARTBEAT_INTERVAL", "6s")));
    assertTrue(error.getMessage().contains("HEARTBEAT_INTERVAL"), error.getMessage());
  }

  @Test
  void neverPrintsSecrets() {
    LogmergeConfig config =
        LogmergeConfig.fromEnvNames(
            Map.of(
                "S3_SECRET_KEY",
                "hunter2-very-secret",
                "REDIS_URL",
                "redis://default:redis-pass-42@redis:6379"));
    assertFalse(config.toString().contains("hunter2"), config.toString());
    assertFalse(config.toString().contains("redis-pass-42"), config.toString());
    assertTrue(config.toString().contains("redis:6379"), config.toString());
  }

  @Test
  void printsEverySettingWithTheValueInEffectAndSecretsMasked() {
    String printed =
        LogmergeConfig.fromEnvNames(
                Map.of("HTTP_PORT", " 8080 ", "REDIS_URL", "redis://default:pw@redis:6379"))
            .toString();
    for (Setting setting : Setting.values()) {
      assertTrue(printed.contains(setting.envName() + "="), setting + " in " + printed);
    }
    assertTrue(printed.contains("HTTP_PORT=8080,"), printed);
    assertTrue(printed.contains("S3_SECRET_KEY=****,"), printed);
    assertTrue(printed.contains("REDIS_URL=redis://****@redis:6379,"), printed);
    assertTrue(printed.contains("S3_ENDPOINT=unset,"), printed);
  }

  @Test
  void metricsCanBeSwitchedOffInAnyCase() {
    assertFalse(LogmergeConfig.fromEnvNames(Map.of("METRICS_ENABLED", "False")).metricsEnabled());
    assertTrue(LogmergeConfig.fromEnvNames(Map.of("METRICS_ENABLED", "TRUE")).metricsEnabled());
  }

  @Test
  void aManagementPortOfZeroMeansAnyFreePort() {
    assertEquals(0, LogmergeConfig.fromEnvNames(Map.of("MANAGEMENT_PORT", "0")).managementPort());
  }

  @Test
  void withReplacesOneValueKeepsTheOthersAndValidatesAgain() {
    LogmergeConfig config = LogmergeConfig.fromEnvNames(Map.of("HTTP_PORT", "8080"));
    LogmergeConfig embedded =
        config
            .with(Setting.S3_ENDPOINT, "http://127.0.0.1:9001")
            .with(Setting.REDIS_URL, "redis://127.0.0.1:6390");
    assertEquals(URI.create("http://127.0.0.1:9001"), embedded.s3Endpoint());
    assertEquals("redis://127.0.0.1:6390", embedded.redisUrl());
    assertEquals(8080, embedded.httpPort());
    assertEquals("8080", embedded.values().get(Setting.HTTP_PORT));
    assertNull(config.s3Endpoint(), "the original is unchanged");
    ConfigException error =
        assertThrows(ConfigException.class, () -> config.with(Setting.REDIS_URL, "127.0.0.1:6390"));
    assertTrue(error.getMessage().contains("--redis-url"), error.getMessage());
  }

  @Test
  void readsSentinelsAndTheMasterName() {
    LogmergeConfig config =
        LogmergeConfig.fromEnvNames(
            Map.of(
                "REDIS_SENTINELS", " sentinel-1:26379, 10.0.0.2:26380 ,[::1]:26381 ",
                "REDIS_MASTER_NAME", "logmerge"));
    assertEquals(
        new RedisSentinels(
            List.of("sentinel-1:26379", "10.0.0.2:26380", "[::1]:26381"), "logmerge"),
        config.redisSentinels());
    assertNull(config.redisUrl());
    assertTrue(config.redisConfigured(), "no embedded Redis beside Sentinel");
    assertEquals(
        List.of("redis://sentinel-1:26379", "redis://10.0.0.2:26380", "redis://[::1]:26381"),
        config.redisSentinels().endpoints());
    assertEquals(
        "Sentinel master 'logmerge' via sentinel-1:26379,10.0.0.2:26380,[::1]:26381",
        config.redisDescription());
    assertNull(LogmergeConfig.defaults().redisSentinels());
    assertFalse(LogmergeConfig.defaults().redisConfigured());
  }

  @Test
  void rejectsSentinelsBesideARedisUrl() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                LogmergeConfig.fromEnvNames(
                    Map.of(
                        "REDIS_URL", "redis://redis:6379",
                        "REDIS_SENTINELS", "sentinel-1:26379",
                        "REDIS_MASTER_NAME", "logmerge")));
    assertEquals(
        "invalid REDIS_SENTINELS (--redis-sentinels): expected to be unset when REDIS_URL is set: a"
            + " Redis is found either through its URL or through Sentinel",
        error.getMessage());
  }

  @Test
  void requiresTheMasterNameWithSentinels() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () -> LogmergeConfig.fromEnvNames(Map.of("REDIS_SENTINELS", "sentinel-1:26379")));
    assertEquals(
        "invalid REDIS_MASTER_NAME (--redis-master-name): expected the monitored master's name,"
            + " required with REDIS_SENTINELS",
        error.getMessage());
  }

  @Test
  void namesTheMalformedSentinelAddress() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                LogmergeConfig.fromEnvNames(
                    Map.of(
                        "REDIS_SENTINELS", "sentinel-1:26379,sentinel-2",
                        "REDIS_MASTER_NAME", "logmerge")));
    assertEquals(
        "invalid REDIS_SENTINELS (--redis-sentinels): expected host:port addresses,"
            + " comma-separated, not 'sentinel-2'",
        error.getMessage());
  }

  @Test
  void flagsAreTheKebabCaseOfTheEnvironmentNames() {
    assertEquals("--max-queued-jobs", Setting.MAX_QUEUED_JOBS.flag());
    assertEquals("--s3-endpoint", Setting.S3_ENDPOINT.flag());
    assertEquals("S3_ENDPOINT (--s3-endpoint)", Setting.S3_ENDPOINT.displayName());
  }

  @Test
  void retryDelayDoublesPerAttempt() {
    JobPolicy policy = LogmergeConfig.fromEnvNames(Map.of("RETRY_BACKOFF", "2s")).jobs();
    assertEquals(Duration.ofSeconds(2), policy.retryDelay(1));
    assertEquals(Duration.ofSeconds(4), policy.retryDelay(2));
    assertEquals(Duration.ofSeconds(8), policy.retryDelay(3));
  }
}
