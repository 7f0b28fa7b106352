package dev.logmerge.launcher;

import dev.logmerge.core.config.ConfigException;
import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.config.Setting;
import dev.logmerge.devservices.EmbeddedRedis;
import dev.logmerge.devservices.EmbeddedS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded S3 and Redis a role starts when no endpoint is configured, so that a fresh checkout
 * runs with one command. Roles that must not embed them fail fast with a message naming the missing
 * setting.
 */
final class DevServices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DevServices.class);

  private final List<AutoCloseable> started = new ArrayList<>();
  private final LogmergeConfig config;

  private DevServices(LogmergeConfig config) {
    this.config = config;
  }

  /**
   * The configuration to run with: the given one, completed with the endpoints of what was started.
   */
  LogmergeConfig config() {
    return config;
  }

  static DevServices startMissing(Role role, LogmergeConfig config) {
    if (!role.mayEmbedServices()) {
      requireEndpoint(role, config.s3Endpoint() != null, Setting.S3_ENDPOINT.displayName());
      requireEndpoint(
          role,
          config.redisConfigured(),
          Setting.REDIS_URL.displayName() + " or " + Setting.REDIS_SENTINELS.displayName());
      return new DevServices(config);
    }
    List<AutoCloseable> started = new ArrayList<>();
    try {
      LogmergeConfig effective = config;
      if (config.s3Endpoint() == null) {
        createBucketFolder(config);
        EmbeddedS3 s3 =
            EmbeddedS3.start(
                config.dataDir(),
                config.embeddedS3Port(),
                config.s3AccessKey(),
                config.s3SecretKey());
        started.add(s3);
        effective = effective.with(Setting.S3_ENDPOINT, s3.endpoint().toString());
        LOG.info(
            "embedded S3 at {} serving {} (bucket '{}' = {}/{})",
            s3.endpoint(),
            s3.dataDir(),
            config.logsBucket(),
            s3.dataDir(),
            config.logsBucket());
      }
      if (!config.redisConfigured()) {
        EmbeddedRedis redis = EmbeddedRedis.start(config.embeddedRedisPort());
        started.add(redis);
        effective = effective.with(Setting.REDIS_URL, redis.url());
        LOG.info("embedded Redis at {}", redis.url());
      }
      DevServices services = new DevServices(effective);
      services.started.addAll(started);
      return services;
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  private static void requireEndpoint(Role role, boolean present, String settings) {
    if (!present) {
      throw new ConfigException(
          settings
              + " is required for role "
              + role.label()
              + ": run `logmerge.jar services` for embedded S3 and Redis, or point it at your own");
    }
  }

  private static void createBucketFolder(LogmergeConfig config) {
    try {
      Files.createDirectories(config.dataDir().resolve(config.logsBucket()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create " + config.dataDir().resolve(config.logsBucket()), e);
    }
  }

  @Override
  public void close() {
    closeAll(started);
    started.clear();
  }

  private static void closeAll(List<AutoCloseable> services) {
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (Exception e) {
        LOG.warn("stopping an embedded service failed: {}", e.toString());
      }
    }
  }
}
