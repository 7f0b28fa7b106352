package dev.logmerge.core.job;

/** Why a job failed (or why its last attempt did), for operators and clients. */
public record JobFailure(FailureCode code, String message) {}
