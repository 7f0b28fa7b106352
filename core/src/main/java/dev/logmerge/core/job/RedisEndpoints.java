package dev.logmerge.core.job;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.config.RedisSentinels;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;

/**
 * Where a Redis client connects, as the configuration says: a URL, or the master that Sentinel
 * names. Only the address part of the client's options; each user sizes its own pool.
 */
public final class RedisEndpoints {
  private RedisEndpoints() {}

  /**
   * The configured Redis.
   *
   * @throws IllegalStateException when no Redis is configured (the embedded one not started yet)
   */
  public static RedisOptions of(LogmergeConfig config) {
    if (config.redisSentinels() != null) {
      return sentinel(config.redisSentinels());
    }
    if (config.redisUrl() == null) {
      throw new IllegalStateException(
          "no Redis configured: start Redis (or the embedded one) before connecting");
    }
    return standalone(config.redisUrl());
  }

  /** A single Redis at this URL. */
  public static RedisOptions standalone(String redisUrl) {
    return new RedisOptions().setConnectionString(redisUrl);
  }

  /**
   * The master of a Sentinel-managed Redis. The client asks a sentinel for the master's address
   * when it connects (the answer is cached for a second), so a connection made after a failover
   * reaches the promoted replica.
   */
  public static RedisOptions sentinel(RedisSentinels sentinels) {
    RedisOptions options =
        new RedisOptions()
            .setType(RedisClientType.SENTINEL)
            .setRole(RedisRole.MASTER)
            .setMasterName(sentinels.masterName());
    sentinels.endpoints().forEach(options::addConnectionString);
    return options;
  }
}
