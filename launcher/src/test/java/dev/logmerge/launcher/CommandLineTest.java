package dev.logmerge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.ConfigException;
import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.config.Setting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  @Test
  void defaultsToRoleAllWithTheEnvironment() {
    CommandLine line =
        CommandLine.parse(List.of(), Map.of("HTTP_PORT", "7000", "PATH", "/usr/bin"));
    assertEquals(Role.ALL, line.role());
    assertEquals(7000, LogmergeConfig.from(line.values()).httpPort());
  }

  @Test
  void flagsOverrideTheEnvironmentInBothForms() {
    CommandLine line =
        CommandLine.parse(
            List.of("merge", "--http-port", "7001", "--merge-slots=4"),
            Map.of("HTTP_PORT", "7000", "MERGE_SLOTS", "1"));
    assertEquals(Role.MERGE, line.role());
    LogmergeConfig config = LogmergeConfig.from(line.values());
    assertEquals(7001, config.httpPort());
    assertEquals(4, config.mergeSlots());
  }

  @Test
  void aFlagValueMayBeEmptyOnlyInTheEqualsForm() {
    CommandLine line = CommandLine.parse(List.of("--cluster-members="), Map.of());
    assertEquals("", line.values().get(Setting.CLUSTER_MEMBERS));
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () -> CommandLine.parse(List.of("--http-port", "--merge-slots", "2"), Map.of()));
    assertTrue(error.getMessage().contains("--http-port needs a value"), error.getMessage());
  }

  @Test
  void rejectsUnknownFlagsAndRolesByName() {
    ConfigException flag =
        assertThrows(
            ConfigException.class, () -> CommandLine.parse(List.of("--http-prot", "1"), Map.of()));
    assertTrue(flag.getMessage().contains("--http-prot"), flag.getMessage());
    ConfigException role =
        assertThrows(ConfigException.class, () -> CommandLine.parse(List.of("worker"), Map.of()));
    assertTrue(role.getMessage().contains("worker"), role.getMessage());
    assertThrows(
        ConfigException.class, () -> CommandLine.parse(List.of("http", "merge"), Map.of()));
  }

  @Test
  void helpListsEveryFlagAndEnvironmentName() {
    assertTrue(CommandLine.parse(List.of("--help"), Map.of()).help());
    String usage = CommandLine.usage();
    for (Setting setting : Setting.values()) {
      assertTrue(usage.contains(setting.flag()), setting.flag());
      assertTrue(usage.contains(setting.envName()), setting.envName());
    }
  }

  @Test
  void httpAndMergeRolesNeedExplicitEndpoints() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () -> DevServices.startMissing(Role.HTTP, LogmergeConfig.defaults()));
    assertTrue(error.getMessage().contains("S3_ENDPOINT"), error.getMessage());
    assertTrue(error.getMessage().contains("services"), error.getMessage());
  }

  @Test
  void aMergeRoleTakesSentinelsForItsRedisAndNamesBothWaysWhenNeitherIsSet() {
    ConfigException missing =
        assertThrows(
            ConfigException.class,
            () ->
                DevServices.startMissing(
                    Role.MERGE,
                    LogmergeConfig.fromEnvNames(Map.of("S3_ENDPOINT", "http://minio:9000"))));
    assertTrue(
        missing.getMessage().startsWith("REDIS_URL (--redis-url) or REDIS_SENTINELS"),
        missing.getMessage());
    LogmergeConfig sentinels =
        LogmergeConfig.fromEnvNames(
            Map.of(
                "S3_ENDPOINT", "http://minio:9000",
                "REDIS_SENTINELS", "sentinel-1:26379",
                "REDIS_MASTER_NAME", "logmerge"));
    try (DevServices services = DevServices.startMissing(Role.MERGE, sentinels)) {
      assertEquals(sentinels, services.config(), "nothing embedded, nothing changed");
    }
  }
}
