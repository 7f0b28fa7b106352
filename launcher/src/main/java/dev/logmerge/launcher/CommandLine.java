package dev.logmerge.launcher;

import dev.logmerge.core.config.ConfigException;
import dev.logmerge.core.config.Setting;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The launcher's arguments: an optional role ({@code all}, {@code http}, {@code merge}, {@code
 * services}) and {@code --kebab-case} flags named after the settings. A flag wins over the
 * environment variable of the same setting.
 *
 * @param values raw setting values, environment first and flags on top
 */
public record CommandLine(Role role, Map<Setting, String> values, boolean help) {

  /**
   * Parses arguments over an environment.
   *
   * @throws ConfigException for an unknown role or flag, or a flag without a value
   */
  public static CommandLine parse(List<String> args, Map<String, String> environment) {
    Map<Setting, String> values = Setting.fromEnvironment(environment);
    Role role = null;
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
      } else if (arg.startsWith("--")) {
        int equals = arg.indexOf('=');
        String flag = equals < 0 ? arg : arg.substring(0, equals);
        Setting setting = settingOf(flag);
        String value;
        if (equals >= 0) {
          value = arg.substring(equals + 1);
        } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
          value = args.get(++i);
        } else {
          throw new ConfigException(
              "flag " + flag + " needs a value, e.g. " + flag + "=" + example(setting));
        }
        values.put(setting, value);
      } else if (role == null) {
        role =
            Role.fromLabel(arg)
                .orElseThrow(
                    () ->
                        new ConfigException(
                            "unknown role '"
                                + arg
                                + "': expected one of all, http, merge, services"));
      } else {
        throw new ConfigException("unexpected argument '" + arg + "': only one role may be given");
      }
    }
    return new CommandLine(role == null ? Role.ALL : role, values, help);
  }

  private static Setting settingOf(String flag) {
    return Arrays.stream(Setting.values())
        .filter(s -> s.flag().equals(flag))
        .findFirst()
        .orElseThrow(() -> new ConfigException("unknown flag " + flag + " (see --help)"));
  }

  private static String example(Setting setting) {
    return setting.defaultValue() != null ? setting.defaultValue() : "…";
  }

  /** The help text: roles, then every setting with its flag, environment name and default. */
  public static String usage() {
    String settings =
        Arrays.stream(Setting.values())
            .map(
                s ->
                    String.format(
                        "  %-24s %-22s %s%s",
                        s.flag(),
                        s.envName(),
                        s.description(),
                        s.defaultValue() == null ? "" : " [" + s.defaultValue() + "]"))
            .collect(Collectors.joining("\n"));
    return """
    usage: java -jar logmerge.jar [all|http|merge|services] [--flag value ...]

    roles:
      all       http + merge in one JVM (default); embedded S3 over DATA_DIR and embedded Redis
                unless S3_ENDPOINT / REDIS_URL are set
      http      REST front end on the clustered event bus (needs S3_ENDPOINT and REDIS_URL)
      merge     merge workers on the clustered event bus (needs S3_ENDPOINT and REDIS_URL)
      services  embedded S3 and Redis only, for multi-JVM runs on one machine

    settings (flag, environment variable, meaning [default]):
    """
        + settings
        + "\n";
  }
}
