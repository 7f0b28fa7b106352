package dev.logmerge.core.config;

import java.util.List;

/**
 * How a JVM joins the clustered event bus.
 *
 * @param host interface to bind (null: loopback)
 * @param publicHost address other members reach this JVM at (null: same as host)
 * @param members TCP-IP join members, {@code host} or {@code host:port}
 */
public record ClusterSettings(
    String name, String host, String publicHost, List<String> members, int port, int eventBusPort) {
  public ClusterSettings {
    members = List.copyOf(members);
  }
}
