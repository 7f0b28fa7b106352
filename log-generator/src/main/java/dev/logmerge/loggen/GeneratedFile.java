package dev.logmerge.loggen;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * One file a run wrote.
 *
 * @param path where it is
 * @param day the day of its timestamps (and of its name)
 * @param serial its serial number within the day
 * @param sorted false for the files {@link GeneratorOptions#unsortedFiles()} shuffled
 * @param lines how many lines it holds
 * @param logBytes the size of its lines, before any compression
 * @param fileBytes its size on disk (smaller than {@code logBytes} when gzipped)
 */
public record GeneratedFile(
    Path path,
    LocalDate day,
    int serial,
    boolean sorted,
    long lines,
    long logBytes,
    long fileBytes) {}
