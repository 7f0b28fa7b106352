package dev.logmerge.merge;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.metrics.LogmergeMeters;
import io.vertx.core.Vertx;

/**
 * A merge worker alone in its JVM, configured by environment variables like the launcher's merge
 * role but unclustered: lets a test run a merge in a separate process with its own heap limit.
 */
public final class StandaloneMergeWorker {
  private StandaloneMergeWorker() {}

  public static void main(String[] args) {
    LogmergeConfig config = LogmergeConfig.fromEnvNames(System.getenv());
    Vertx vertx = Vertx.vertx();
    vertx
        .deployVerticle(
            new MergeVerticle(config, MergeVerticle.createS3Client(config), LogmergeMeters.none()))
        .onSuccess(id -> System.out.println("worker ready"))
        .onFailure(
            error -> {
              error.printStackTrace();
              System.exit(1);
            });
  }
}
