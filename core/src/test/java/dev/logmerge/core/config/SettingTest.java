package dev.logmerge.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingTest {

  @Test
  void takesFromTheEnvironmentOnlyTheNamesOfSettings() {
    Map<Setting, String> values =
        Setting.fromEnvironment(
            Map.of("HTTP_PORT", "7000", "REDIS_URL", "", "PATH", "/usr/bin", "http_port", "1"));
    assertEquals(Map.of(Setting.HTTP_PORT, "7000", Setting.REDIS_URL, ""), values);
  }
}
