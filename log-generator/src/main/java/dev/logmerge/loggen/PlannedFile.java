package dev.logmerge.loggen;

import java.time.LocalDate;

/**
 * One file a run will write.
 *
 * @param day the day its timestamps fall in
 * @param serial its serial number within the day
 * @param fileName {@code YYYY-MM-DD_<serial>} plus extension and {@code .gz}
 * @param seed the seed of its own content
 * @param daySeed the seed of the content all files of its day may share (equal timestamps, equal
 *     lines)
 * @param unsorted whether its lines are shuffled
 */
record PlannedFile(
    LocalDate day, int serial, String fileName, long seed, long daySeed, boolean unsorted) {}
