package dev.logmerge.launcher;

import dev.logmerge.core.config.ConfigException;
import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.devservices.LocalPorts;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar logmerge.jar [role] [--flags]}: see {@link CommandLine#usage()}. */
public final class Main {
  private static final int USAGE_ERROR = 2;
  private static final int START_FAILURE = 1;

  /** Read by logback.xml: which appender ({@code text} or {@code json}) and the role field. */
  static final String LOG_FORMAT_PROPERTY = "logmerge.log.format";

  static final String ROLE_PROPERTY = "logmerge.role";

  private Main() {}

  public static void main(String[] args) {
    System.setProperty("hazelcast.logging.type", "slf4j");
    CommandLine commandLine;
    LogmergeConfig config;
    try {
      commandLine = CommandLine.parse(List.of(args), System.getenv());
      if (commandLine.help()) {
        System.out.print(CommandLine.usage());
        return;
      }
      config = LogmergeConfig.from(commandLine.values());
      // before the first logger is made, which reads logback.xml: nothing has logged yet
      System.setProperty(LOG_FORMAT_PROPERTY, config.logFormat().label());
      System.setProperty(ROLE_PROPERTY, commandLine.role().label());
    } catch (ConfigException e) {
      System.err.println("logmerge: " + e.getMessage());
      System.err.println("run with --help for every setting");
      System.exit(USAGE_ERROR);
      return;
    }

    LogmergeApp app;
    try {
      app = LogmergeApp.start(commandLine.role(), config);
    } catch (ConfigException | LocalPorts.PortInUseException e) {
      System.err.println("logmerge: " + e.getMessage());
      System.exit(USAGE_ERROR);
      return;
    } catch (RuntimeException e) {
      System.err.println("logmerge: failed to start: " + e.getMessage());
      e.printStackTrace();
      System.exit(START_FAILURE);
      return;
    }

    // SIGTERM / Ctrl-C: stop accepting work, hand running jobs back, stop embedded servers
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  stopped.countDown();
                },
                "logmerge-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
