package dev.logmerge.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.logmerge.core.config.ClusterSettings;
import dev.logmerge.core.config.ConfigException;
import dev.logmerge.core.config.Setting;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place a logmerge JVM gets its Vert.x from, so its options (metrics, tracing, …) are set
 * once for every role. Clustered roles join the event bus through Hazelcast with TCP-IP join to
 * explicit members (no multicast, no auto-detection), bound to one interface, with the event bus
 * bound to the same host.
 */
final class VertxFactory {
  private static final String LOOPBACK = "127.0.0.1";
  private static final String ANY = "0.0.0.0";

  /**
   * vertx-micrometer-metrics keeps each Vert.x's registry in a JVM-wide map under its name: a name
   * per instance keeps the Vert.x instances of one JVM (tests) from sharing one.
   */
  private static final AtomicInteger REGISTRY_NAMES = new AtomicInteger();

  /** The type under which vertx-redis-client reports its commands to the metrics SPI. */
  private static final String REDIS_CLIENT_METRICS = "redis";

  private VertxFactory() {}

  /**
   * A Vert.x for the role: clustered for {@code http} and {@code merge}, plain otherwise.
   *
   * @param registry where Vert.x records its HTTP clients, event bus, pools and the JVM's memory,
   *     GC, threads and classes; null: no metrics
   */
  static Future<Vertx> create(Role role, ClusterSettings cluster, MeterRegistry registry) {
    VertxOptions options = new VertxOptions();
    VertxBuilder builder = Vertx.builder();
    if (registry != null) {
      options.setMetricsOptions(metricsOptions());
      builder.withMetrics(new MicrometerMetricsFactory(registry));
    }
    if (!role.clustered()) {
      return Future.succeededFuture(builder.with(options).build());
    }
    String host = cluster.host() != null ? cluster.host() : LOOPBACK;
    if (ANY.equals(host) && cluster.publicHost() == null) {
      throw new ConfigException(
          "CLUSTER_HOST=0.0.0.0 needs "
              + Setting.CLUSTER_PUBLIC_HOST.displayName()
              + ": other members cannot reach a wildcard address");
    }
    options.setEventBusOptions(
        new EventBusOptions()
            .setHost(host)
            .setPort(cluster.eventBusPort())
            .setClusterPublicHost(cluster.publicHost()));
    return builder
        .with(options)
        .withClusterManager(new HazelcastClusterManager(hazelcastConfig(cluster, host)))
        .buildClustered();
  }

  /**
   * Vert.x's meters, labelled by what is worth a series and cheap to count: HTTP client requests
   * (the download relay's to S3) by status code, pools by type and name, event-bus messages by
   * side. Not Vert.x's HTTP server meters: they resolve their labels in the registry on every
   * request, which cost the lightest API routes about 15 % of their throughput; the API times its
   * requests itself, by route, method and status, with timers resolved once ({@code
   * logmerge_http_requests_seconds}). Not the Redis client's per-command meters either: the job
   * store times each of its calls by operation ({@code logmerge_redis_call_seconds}), and the
   * client's meters would cost the API a few percent to measure the same round trips again.
   */
  static MicrometerMetricsOptions metricsOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName("logmerge-" + REGISTRY_NAMES.incrementAndGet())
        .setJvmMetricsEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME, Label.EB_SIDE))
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
        .addDisabledMetricsCategory(REDIS_CLIENT_METRICS);
  }

  static Config hazelcastConfig(ClusterSettings cluster, String host) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    // each extra second here is paid by every member at start
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Vert.x leaves the cluster in its own close(); Hazelcast's shutdown hook would leave first and
    // lose messages in flight
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // a member that vanished without closing its sockets (killed container, lost host) holds
    // partitions, and so blocks consumer registrations of starting workers, until it is declared
    // dead: 15 s instead of the default 60 s
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "15");
    // members that started apart (a restarted http container whose only join address is itself)
    // find each other through the join members within seconds, not the default five minutes
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true);
    if (!ANY.equals(host)) {
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(addressOf(host)));
      // the interface list only picks the advertised address: without this, it still binds 0.0.0.0
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    if (cluster.publicHost() != null) {
      network.setPublicAddress(cluster.publicHost());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    List<String> members =
        cluster.members().isEmpty()
            ? List.of(ANY.equals(host) ? LOOPBACK : host)
            : cluster.members();
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    return config;
  }

  private static String addressOf(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException(
          "invalid " + Setting.CLUSTER_HOST.displayName() + ": cannot resolve '" + host + "'");
    }
  }
}
