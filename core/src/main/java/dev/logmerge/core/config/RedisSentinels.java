package dev.logmerge.core.config;

import java.util.List;

/**
 * A Sentinel-managed Redis: the sentinels to ask, and the name they monitor the master under. The
 * job store asks them for the master's address on each new connection, so after a failover it
 * follows the promoted replica without a restart.
 *
 * @param addresses the sentinels, {@code host:port} each (IPv6 hosts in brackets)
 * @param masterName the name of the master in the sentinels' {@code sentinel monitor} line
 */
public record RedisSentinels(List<String> addresses, String masterName) {
  public RedisSentinels {
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("at least one sentinel");
    }
  }

  /** The sentinels as the Redis client's connection strings, {@code redis://host:port}. */
  public List<String> endpoints() {
    return addresses.stream().map(address -> "redis://" + address).toList();
  }

  /** How logs name it: {@code Sentinel master 'mymaster' via host:26379,…}. */
  @Override
  public String toString() {
    return "Sentinel master '" + masterName + "' via " + String.join(",", addresses);
  }
}
