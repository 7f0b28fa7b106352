package dev.logmerge.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is {@link Setting}, one row per setting, so they never drift.
 */
class ReadmeConfigurationTableTest {
  private static final Path README = Path.of("..", "README.md");
  private static final String START = "<!-- settings-table:start";
  private static final String END = "<!-- settings-table:end -->";

  @Test
  void listsEverySettingWithItsDefaultAndMeaning() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int start = readme.indexOf(START);
    int end = readme.indexOf(END);
    assertTrue(start >= 0 && end > start, README + " has no " + START + " … " + END + " block");
    String table = readme.substring(readme.indexOf('\n', start) + 1, end);
    String expected = table();
    assertEquals(
        expected,
        table,
        "the configuration table in "
            + README
            + " differs from Setting; replace it with:\n\n"
            + expected);
  }

  /** The table as Setting describes it, one row per setting in declaration order. */
  static String table() {
    return "| name | default | meaning |\n|---|---|---|\n"
        + Arrays.stream(Setting.values())
            .map(
                setting ->
                    "| `"
                        + setting.envName()
                        + "` | "
                        + (setting.defaultValue() == null
                            ? "unset"
                            : "`" + setting.defaultValue() + "`")
                        + " | "
                        + setting.description().replace("|", "\\|")
                        + " |\n")
            .collect(Collectors.joining());
  }
}
