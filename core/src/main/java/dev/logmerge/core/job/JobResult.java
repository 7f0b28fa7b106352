package dev.logmerge.core.job;

/** Where a finished job's merged file is stored. */
public record JobResult(String bucket, String key, long size, String etag) {}
