package dev.logmerge.cluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One {@link ClusterHarness} per test class: started before the first test, closed after the last
 * (even when tests fail), and the JVMs' output printed when a test fails, so a red build explains
 * itself. Register it as a static field with {@code @RegisterExtension}.
 */
public final class ClusterExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {
  private static final int LOG_LINES_ON_FAILURE = 120;

  private ClusterHarness harness;

  @Override
  public void beforeAll(ExtensionContext context) {
    harness = ClusterHarness.start(context.getRequiredTestClass().getSimpleName());
  }

  public ClusterHarness harness() {
    return harness;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    if (harness != null) {
      System.out.println(
          "===== "
              + context.getDisplayName()
              + " failed: "
              + cause
              + "\n"
              + harness.describe(LOG_LINES_ON_FAILURE));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (harness != null) {
      harness.close();
    }
  }
}
